// «Подтвердить» and «Отказаться» for a move offered after a doctor's days were closed (on the
// offer's page and in the card file): confirming books the new time and opens the done page;
// declining asks first, then reports the doctor to queue for (the caller offers «Встать в очередь»).
import { useState } from 'react';
import { useNavigate } from 'react-router';
import type { MoveOffer } from '../../../shared/api/absence.js';
import type { AppointmentDetail } from '../../../shared/api/index.js';
import { api } from '../../api.js';
import { Button } from '../../ui/Button.js';
import { ConfirmDialog } from '../../ui/ConfirmDialog.js';
import { formatInstantLong } from '../../ui/datetime.js';
import { asApiError, useLoginRedirect } from '../patient/useApiData.js';

export function MoveActions({
  move,
  onDeclined,
  onStale,
  context,
}: {
  move: MoveOffer;
  onDeclined(doctorId: number): void;
  onStale(): void;
  context?: string;
}) {
  const navigate = useNavigate();
  const redirect = useLoginRedirect();
  const [busy, setBusy] = useState(false);
  const [declining, setDeclining] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const when = (i: string) => formatInstantLong(i, move.timeZone);
  const url = `/api/moves/${encodeURIComponent(move.id)}`;
  const suffix = context ? ` ${context}` : '';

  const confirm = async () => {
    setBusy(true);
    setError(null);
    try {
      const a = await api.post<AppointmentDetail>(`${url}/confirm`);
      void navigate(`/appointments/${encodeURIComponent(a.id)}?done=1`, { replace: true });
    } catch (e) {
      if (redirect(e)) return;
      setError(asApiError(e).message);
      setBusy(false);
      onStale();
    }
  };

  return (
    <>
      {error && (
        <p className="dialog-error" role="alert">
          {error}
        </p>
      )}
      <div className="button-row">
        <Button isPending={busy} isDisabled={declining} onPress={() => void confirm()}>
          Подтвердить
          <span className="visually-hidden">
            {' '}
            перенос на {when(move.offered.startAt)}
            {suffix}
          </span>
        </Button>
        <Button variant="secondary" isDisabled={busy} onPress={() => setDeclining(true)}>
          Отказаться<span className="visually-hidden"> от переноса{suffix}</span>
        </Button>
      </div>
      <ConfirmDialog
        isOpen={declining}
        onClose={() => setDeclining(false)}
        title="Отказаться от переноса?"
        confirmLabel="Отказаться"
        cancelLabel="Не отказываться"
        danger
        onConfirm={async () => {
          try {
            const r = await api.post<{ ok: true; doctorId: number }>(`${url}/decline`);
            setDeclining(false);
            onDeclined(r.doctorId);
          } catch (e) {
            if (redirect(e)) return;
            setDeclining(false);
            setError(asApiError(e).message);
            onStale();
          }
        }}
      >
        <p>
          Запись на {when(move.old.startAt)} будет отменена по решению медицинской организации: врач не сможет принять.
        </p>
      </ConfirmDialog>
    </>
  );
}
