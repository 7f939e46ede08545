// A patient's visits at the organisation as staff see them (every source), with
// «Отменить запись» for the desk: a confirmation that asks for the reason.
import { useState } from 'react';
import type { ChannelVisit, StaffCancelBody } from '../../../shared/api/index.js';
import type { Sex } from '../../../shared/agreement.js';
import { api } from '../../api.js';
import { Button } from '../../ui/Button.js';
import { ConfirmDialog } from '../../ui/ConfirmDialog.js';
import { formatLocalDateTime } from '../../ui/format.js';
import { RadioChoice } from '../../ui/RadioChoice.js';
import { capitalise } from '../patient/labels.js';
import { asApiError } from '../patient/useApiData.js';
import { staffSourceLabel, staffStatusLabel } from './staff.js';
import { ReleasedNote } from './ReleasedNote.js';

const reasons: { value: StaffCancelBody['by']; label: string }[] = [
  { value: 'patient', label: 'По просьбе пациента' },
  { value: 'clinic', label: 'По решению медицинской организации' },
];

function CancelButton({ visit, onCancelled }: { visit: ChannelVisit; onCancelled(message: string): void }) {
  const [open, setOpen] = useState(false);
  const [by, setBy] = useState<StaffCancelBody['by'] | null>(null);
  const [problem, setProblem] = useState<string | undefined>(undefined);
  const when = formatLocalDateTime(visit.localStart);
  return (
    <>
      <Button variant="warning" onPress={() => setOpen(true)}>
        Отменить запись<span className="visually-hidden"> на {when}</span>
      </Button>
      <ConfirmDialog
        isOpen={open}
        onClose={() => {
          setOpen(false);
          setBy(null);
          setProblem(undefined);
        }}
        title="Отменить запись?"
        confirmLabel="Отменить запись"
        cancelLabel="Не отменять"
        danger
        onConfirm={async () => {
          if (!by) {
            setProblem('Выберите причину отмены');
            throw new Error('Выберите причину отмены');
          }
          setProblem(undefined);
          try {
            await api.post(`/api/desk/appointments/${encodeURIComponent(visit.id)}/cancel`, { by });
          } catch (e) {
            throw new Error(asApiError(e).message);
          }
          setOpen(false);
          onCancelled(`Запись на ${when} (${visit.doctor.specialty.toLowerCase()}: ${visit.doctor.name}) отменена.`);
        }}
      >
        <p>
          Запись на <strong>{when}</strong> ({visit.doctor.specialty.toLowerCase()}: {visit.doctor.name}, кабинет{' '}
          {visit.doctor.room}) будет отменена, время станет свободным. Если пациент записывался на портале, ему придёт
          уведомление.
        </p>
        <RadioChoice
          id={`cancel-reason-${visit.id}`}
          label="Причина отмены"
          value={by}
          onChange={(v) => setBy(v === 'clinic' ? 'clinic' : 'patient')}
          error={problem}
          options={reasons}
        />
      </ConfirmDialog>
    </>
  );
}

export function StaffVisitItem({
  visit,
  sex,
  canCancel,
  onCancelled,
}: {
  visit: ChannelVisit;
  /** The patient's sex: the status agrees with it. */
  sex: Sex;
  canCancel: boolean;
  onCancelled(message: string): void;
}) {
  return (
    <li className="visit">
      <div className="visit-head">
        <p className="visit-when">{formatLocalDateTime(visit.localStart)}</p>
        <span className={`visit-status visit-status-${visit.status}`}>
          {staffStatusLabel(visit.status, sex)}
          {visit.status === 'cancelled' && visit.cancelledBy && (
            <>
              {' '}
              (
              {visit.cancelReason === 'released'
                ? 'освобождена пациентом'
                : visit.cancelledBy === 'patient'
                  ? 'по просьбе пациента'
                  : 'медицинской организацией'}
              )
            </>
          )}
        </span>
      </div>
      {visit.status === 'booked' && <ReleasedNote releasedAt={visit.releasedAt} timeZone={visit.timeZone} />}
      <dl className="visit-details">
        <div>
          <dt>Врач</dt>
          <dd>
            {visit.doctor.name}, {capitalise(visit.doctor.specialty)}
          </dd>
        </div>
        <div>
          <dt>Кабинет</dt>
          <dd>{visit.doctor.room}</dd>
        </div>
        <div>
          <dt>Номер записи</dt>
          <dd className="staff-nowrap">{visit.reference}</dd>
        </div>
        <div>
          <dt>Источник записи</dt>
          <dd>{staffSourceLabel[visit.source]}</dd>
        </div>
      </dl>
      {canCancel && visit.cancellable && (
        <div className="visit-actions">
          <CancelButton visit={visit} onCancelled={onCancelled} />
        </div>
      )}
    </li>
  );
}

/** Future (booked, not started) first, then the rest; an empty list says so. */
export function StaffVisits({
  visits,
  sex,
  canCancel,
  onCancelled,
}: {
  visits: ChannelVisit[];
  /** The patient's sex: the statuses agree with it. */
  sex: Sex;
  canCancel: boolean;
  onCancelled(message: string): void;
}) {
  const now = Date.now();
  const future = visits.filter((v) => v.status === 'booked' && new Date(v.startAt).getTime() > now);
  const rest = visits.filter((v) => !future.includes(v));
  return (
    <>
      <h2>Предстоящие записи</h2>
      {future.length === 0 ? (
        <p>Предстоящих записей в этой медицинской организации нет.</p>
      ) : (
        <ul className="visit-list">
          {future.map((v) => (
            <StaffVisitItem key={v.id} visit={v} sex={sex} canCancel={canCancel} onCancelled={onCancelled} />
          ))}
        </ul>
      )}
      <h2>Прошедшие и отменённые</h2>
      {rest.length === 0 ? (
        <p>Нет.</p>
      ) : (
        <ul className="visit-list">
          {rest.map((v) => (
            <StaffVisitItem key={v.id} visit={v} sex={sex} canCancel={false} onCancelled={onCancelled} />
          ))}
        </ul>
      )}
    </>
  );
}
