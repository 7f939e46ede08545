// «Отменить визит» with a confirmation step; when online cancellation is not possible
// the reason is shown in place of the button.
import { useState } from 'react';
import { api } from '../../api.js';
import { Button } from '../../ui/Button.js';
import { ConfirmDialog } from '../../ui/ConfirmDialog.js';
import { formatLocalDateTime } from '../../ui/format.js';

export interface CancellableVisit {
  id: string;
  localStart: string;
  status: string;
  cancellable: boolean;
  cancelBlockedReason: string | null;
  doctor: { name: string; specialty: string };
}

export function cancelledMessage(v: CancellableVisit): string {
  return `Запись на ${formatLocalDateTime(v.localStart)} (${v.doctor.specialty.toLowerCase()}: ${v.doctor.name}) отменена.`;
}

export function CancelVisit({ visit, onCancelled }: { visit: CancellableVisit; onCancelled(message: string): void }) {
  const [open, setOpen] = useState(false);
  const when = formatLocalDateTime(visit.localStart);
  if (!visit.cancellable) {
    if (visit.status !== 'booked' || !visit.cancelBlockedReason) return null;
    return <p className="cancel-blocked">{visit.cancelBlockedReason}</p>;
  }
  return (
    <>
      <Button variant="warning" onPress={() => setOpen(true)}>
        Отменить визит<span className="visually-hidden"> {when}</span>
      </Button>
      <ConfirmDialog
        isOpen={open}
        onClose={() => setOpen(false)}
        title="Отменить визит?"
        confirmLabel="Отменить визит"
        cancelLabel="Не отменять"
        danger
        onConfirm={async () => {
          await api.post(`/api/appointments/${encodeURIComponent(visit.id)}/cancel`);
          setOpen(false);
          onCancelled(cancelledMessage(visit));
        }}
      >
        <p>
          Запись на <strong>{when}</strong> ({visit.doctor.specialty.toLowerCase()}: {visit.doctor.name}) будет
          отменена, а время станет свободным для других пациентов.
        </p>
      </ConfirmDialog>
    </>
  );
}
