// «Отменить визит» on a waitlist entry (the seed guide's «Как выйти из очереди»): asks
// «Выйти из очереди?», then ends the entry; a pending offer's time is released.
import { useState } from 'react';
import type { WaitlistEntry } from '../../../shared/api/index.js';
import { api } from '../../api.js';
import { Button } from '../../ui/Button.js';
import { ConfirmDialog } from '../../ui/ConfirmDialog.js';
import { formatLocalDateTime } from '../../ui/format.js';
import { entryTarget } from './words.js';

export function LeaveWaitlist({
  entry,
  personName,
  onLeft,
}: {
  entry: WaitlistEntry;
  personName: string;
  onLeft(message: string): void;
}) {
  const [open, setOpen] = useState(false);
  const target = entryTarget(entry);
  return (
    <>
      <Button variant="warning" onPress={() => setOpen(true)}>
        Отменить визит<span className="visually-hidden"> — выйти из очереди ({target})</span>
      </Button>
      <ConfirmDialog
        isOpen={open}
        onClose={() => setOpen(false)}
        title="Выйти из очереди?"
        confirmLabel="Выйти из очереди"
        cancelLabel="Остаться в очереди"
        danger
        onConfirm={async () => {
          await api.post(`/api/waitlist/${encodeURIComponent(entry.id)}/leave`);
          setOpen(false);
          onLeft(`${personName} больше не стоит в очереди (${target}, ${entry.organisation.name}).`);
        }}
      >
        <p>
          {personName} выйдет из очереди ({target}, {entry.organisation.name}). Вернуться на это же место в очереди
          будет нельзя.
        </p>
        {entry.offer && entry.offer.status === 'pending' && (
          <p>Предложенное время {formatLocalDateTime(entry.offer.localStart)} освободится для других пациентов.</p>
        )}
      </ConfirmDialog>
    </>
  );
}
