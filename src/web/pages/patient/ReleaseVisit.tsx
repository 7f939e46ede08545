// «Не смогу прийти» (SPEC section 8a): once online cancelling has closed, the account's own
// portal visit can be released with a confirmation. The visit stays booked; its time is
// offered to the waiting list, and if someone takes it the visit is cancelled as «освобождена
// пациентом» and the patient told. After releasing, the note says so in a live region that
// takes focus (the button it replaces is gone).
import { useEffect, useRef, useState } from 'react';
import type { AppointmentDetail } from '../../../shared/api/index.js';
import { api } from '../../api.js';
import { Button } from '../../ui/Button.js';
import { ConfirmDialog } from '../../ui/ConfirmDialog.js';
import { formatInstantLong } from '../../ui/datetime.js';
import { formatLocalDateTime } from '../../ui/format.js';

export interface ReleasableVisit {
  id: string;
  localStart: string;
  timeZone: string;
  status: string;
  releasable: boolean;
  releasedAt: string | null;
  cancelReason: 'moved' | 'released' | null;
  doctor: { name: string; specialty: string };
  organisation: { phone: string };
}

/** The words for a visit cancelled because someone from the waiting list took its released time. */
export const RELEASED_TAKEN_TEXT =
  'Освобождена пациентом: вы сообщили, что не придёте, и это время занял пациент из очереди.';

export function ReleaseVisit({ visit }: { visit: ReleasableVisit }) {
  const [open, setOpen] = useState(false);
  const [releasedAt, setReleasedAt] = useState(visit.releasedAt);
  const [justReleased, setJustReleased] = useState(false);
  const note = useRef<HTMLParagraphElement>(null);
  useEffect(() => {
    if (justReleased) note.current?.focus();
  }, [justReleased]);
  useEffect(() => setReleasedAt(visit.releasedAt), [visit.releasedAt]);
  const when = formatLocalDateTime(visit.localStart);
  if (visit.status !== 'booked' || (!releasedAt && !visit.releasable)) return null;
  return (
    <div className="release" role="status" aria-live="polite" aria-atomic="true">
      {releasedAt ? (
        <p className="release-note" tabIndex={-1} ref={note}>
          <strong>Вы предупредили, что не придёте</strong> ({formatInstantLong(releasedAt, visit.timeZone)}). Время
          предложено пациентам из очереди. Если его займут, запись будет отменена и мы вам сообщим; если нет — запись
          останется, а регистратура знает, что вы не придёте.
        </p>
      ) : (
        <>
          <Button variant="secondary" onPress={() => setOpen(true)}>
            Не смогу прийти<span className="visually-hidden"> {when}</span>
          </Button>
          <ConfirmDialog
            isOpen={open}
            onClose={() => setOpen(false)}
            title="Не сможете прийти?"
            confirmLabel="Не смогу прийти"
            cancelLabel="Я приду"
            onConfirm={async () => {
              const answer = await api.post<AppointmentDetail>(
                `/api/appointments/${encodeURIComponent(visit.id)}/release`,
              );
              setOpen(false);
              setReleasedAt(answer.releasedAt);
              setJustReleased(true);
            }}
          >
            <p>
              Запись на <strong>{when}</strong> ({visit.doctor.specialty.toLowerCase()}: {visit.doctor.name}) отменить
              через портал уже нельзя. Мы сразу предложим это время пациентам из очереди.
            </p>
            <p>
              Если кто-то займёт его, ваша запись будет отменена и вы получите уведомление. Если нет — запись останется,
              а регистратура будет знать, что вы не придёте.
            </p>
          </ConfirmDialog>
        </>
      )}
    </div>
  );
}
