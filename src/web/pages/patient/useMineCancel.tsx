// Cancelling the account's own appointment from a doctor's schedule: «Отменить запись на
// 26 ноября, 09:30?» with «Ок» / «Не отменять» and the way to move it instead («Перенести»),
// or, after the cut-off, why it cannot be done.
import { useState, type ReactNode } from 'react';
import { Link } from 'react-router';
import type { ScheduleSlot } from '../../../shared/api/index.js';
import { api } from '../../api.js';
import { movePath } from './movePath.js';
import { ConfirmDialog } from '../../ui/ConfirmDialog.js';

export function useMineCancel(
  onCancelled: () => void,
  registryPhone?: string,
): {
  open(slot: ScheduleSlot, label: string): void;
  dialog: ReactNode;
  done: string | null;
} {
  const [target, setTarget] = useState<{ slot: ScheduleSlot; label: string } | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const close = () => setTarget(null);
  let dialog: ReactNode = null;
  if (target) {
    const { slot, label } = target;
    dialog =
      slot.cancellable && slot.appointmentId ? (
        <ConfirmDialog
          isOpen
          onClose={close}
          title={`Отменить запись на ${label}?`}
          confirmLabel="Ок"
          cancelLabel="Не отменять"
          danger
          onConfirm={async () => {
            await api.post(`/api/appointments/${encodeURIComponent(slot.appointmentId ?? '')}/cancel`);
            setTarget(null);
            setDone(`Запись на ${label} отменена. Время стало свободным.`);
            onCancelled();
          }}
        >
          <p>Время станет свободным для других пациентов.</p>
          <p>
            Не отменять, а выбрать другое время? <Link to={movePath.start(slot.appointmentId)}>Перенести запись</Link>
          </p>
        </ConfirmDialog>
      ) : (
        <ConfirmDialog isOpen onClose={close} title="Отменить эту запись через портал нельзя">
          <p>
            Отмена записи возможна до установленного времени дня, предшествующего посещению. После него регистратура уже
            сформировала списки пациентов и подобрала медицинские карты. Чтобы отменить запись, позвоните в регистратуру
            медицинской организации{registryPhone ? `: ${registryPhone}` : ''}.
          </p>
        </ConfirmDialog>
      );
  }
  return {
    open: (slot, label) => setTarget({ slot, label }),
    dialog,
    done,
  };
}
