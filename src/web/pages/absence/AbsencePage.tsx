// One closure of a doctor's days at the desk: the affected visits from every channel with the
// patient and contact, and for each «Перенести» (another doctor of the same specialty, a free
// time: a portal patient gets an offer to confirm, others are moved at once — phone them) or
// «Отменить запись» (по решению медицинской организации); all at once; reopening; the call list.
import { useState } from 'react';
import { Link, useParams } from 'react-router';
import type { AbsenceDetail, AbsenceVisit } from '../../../shared/api/absence.js';
import type { ScheduleResponse, StaffDoctorsResponse } from '../../../shared/api/index.js';
import { api } from '../../api.js';
import { Button } from '../../ui/Button.js';
import { ConfirmDialog } from '../../ui/ConfirmDialog.js';
import { formatInstantShort } from '../../ui/datetime.js';
import { formatDate, formatDayLong } from '../../ui/format.js';
import { Page } from '../../ui/Page.js';
import { LoadProblem, Loading } from '../../ui/staff/Access.js';
import { CheckboxField } from '../../ui/staff/CheckboxField.js';
import { useApiData } from '../../ui/staff/useApiData.js';
import { LiveMessage } from '../patient/LiveMessage.js';
import { asApiError } from '../patient/useApiData.js';
import { ABSENCE_REASON_LABELS, decisionText, SOURCE_LABELS } from './words.js';

function MovePicker({
  absence,
  visit,
  colleagues,
  onDone,
}: {
  absence: AbsenceDetail;
  visit: AbsenceVisit;
  colleagues: StaffDoctorsResponse['doctors'];
  onDone(text: string): void;
}) {
  const [doctorId, setDoctorId] = useState<number | null>(colleagues[0]?.id ?? null);
  const schedule = useApiData<ScheduleResponse>(
    doctorId ? `/api/desk/absences/doctors/${doctorId}/schedule` : '/api/desk/absences/doctors',
  );
  const [error, setError] = useState<string | null>(null);
  if (colleagues.length === 0) return <p>В организации нет другого врача этой специальности: отмените запись.</p>;
  const days =
    doctorId && schedule.data && 'days' in schedule.data
      ? schedule.data.days.filter((d) => d.slots.some((s) => s.state === 'free'))
      : [];
  return (
    <div className="absence-move">
      <label className="label" htmlFor={`doctor-${visit.appointmentId}`}>
        Врач
      </label>
      <select
        id={`doctor-${visit.appointmentId}`}
        className="input"
        value={doctorId ?? ''}
        onChange={(e) => setDoctorId(Number(e.target.value))}
      >
        {colleagues.map((d) => (
          <option key={d.id} value={d.id}>
            {d.name}, кабинет {d.room}
          </option>
        ))}
      </select>
      {error && (
        <p className="dialog-error" role="alert">
          {error}
        </p>
      )}
      {schedule.loading && !days.length ? (
        <Loading />
      ) : days.length === 0 ? (
        <p>У этого врача нет свободного времени.</p>
      ) : (
        days.slice(0, 5).map((d) => (
          <section key={d.date} aria-label={formatDayLong(d.date)}>
            <h4>{formatDayLong(d.date)}</h4>
            <ul className="slot-list">
              {d.slots
                .filter((s) => s.state === 'free')
                .map((s) => (
                  <li key={s.id}>
                    <button
                      type="button"
                      className="slot slot-free"
                      aria-label={`Перенести ${visit.patient.name} на ${formatDayLong(d.date)}, ${s.time}`}
                      onClick={() => {
                        setError(null);
                        void api
                          .post<AbsenceDetail>(
                            `/api/desk/absences/${absence.id}/visits/${visit.appointmentId}/decide`,
                            { action: 'move', slotId: s.id },
                          )
                          .then(() =>
                            onDone(
                              visit.portalAccount
                                ? `${visit.patient.name}: перенос предложен пациенту, ждём ответа.`
                                : `${visit.patient.name}: запись перенесена. Сообщите пациенту по телефону.`,
                            ),
                          )
                          .catch((e) => setError(asApiError(e).message));
                      }}
                    >
                      <span className="slot-time">{s.time}</span>
                    </button>
                  </li>
                ))}
            </ul>
          </section>
        ))
      )}
    </div>
  );
}

export function AbsencePage() {
  const { absenceId = '' } = useParams();
  const state = useApiData<AbsenceDetail>(`/api/desk/absences/${encodeURIComponent(absenceId)}`);
  const doctors = useApiData<StaffDoctorsResponse>('/api/desk/absences/doctors');
  const [moving, setMoving] = useState<string | null>(null);
  const [cancelling, setCancelling] = useState<AbsenceVisit | null>(null);
  const [bulk, setBulk] = useState<'cancel' | 'move' | null>(null);
  const [bulkDoctors, setBulkDoctors] = useState<number[]>([]);
  const [reopening, setReopening] = useState(false);
  const [done, setDone] = useState<string | null>(null);
  const back = { to: '/desk/absences', label: 'Все закрытия приёма' };
  const a = state.data;
  if (state.error) return <LoadProblem title="Закрытие приёма" error={state.error} role="registrar" back={back} />;
  if (!a || !doctors.data)
    return (
      <Page title="Закрытие приёма" back={back}>
        <Loading />
      </Page>
    );

  const when = (i: string) => formatInstantShort(i, a.timeZone);
  const colleagues = doctors.data.doctors.filter(
    (d) => d.specialty.id === a.doctor.specialtyId && d.id !== a.doctor.id,
  );
  const open = a.visits.filter((v) => v.state === 'open');
  const finish = async (text: string) => {
    setMoving(null);
    setDone(text);
    await state.reload();
  };
  const range =
    a.toDate !== a.fromDate ? `${formatDate(a.fromDate)} — ${formatDate(a.toDate)}` : formatDate(a.fromDate);

  return (
    <Page title={`Приём закрыт: ${a.doctor.name}`} back={back} wide>
      <LiveMessage message={done} title="Готово" />
      <p className="lead">
        {range}. Причина: {ABSENCE_REASON_LABELS[a.reason].toLowerCase()}.
        {a.comment ? ` Комментарий: ${a.comment}` : ''}
      </p>
      <p>
        Пациенты видят в расписании: «{a.publicNotice}».{a.cancelledAt ? ' Приём открыт снова.' : ''}
      </p>
      <p>
        <Link to={`/desk/absences/${a.id}/calls`}>Список для обзвона (для печати)</Link>
      </p>

      <h2>Записи пациентов ({a.visits.length})</h2>
      {a.visits.length === 0 && <p>На закрытые дни никто не записан.</p>}
      <ul className="list-plain absence-visits">
        {a.visits.map((v) => (
          <li key={v.appointmentId} className="card absence-visit">
            <h3>
              {when(v.startAt)} — {v.patient.name}
            </h3>
            <p className="staff-note">
              Записан через: {SOURCE_LABELS[v.source]}. Телефон: {v.patient.phone ?? 'не указан'}
              {v.patient.email ? `. Эл. почта: ${v.patient.email}` : ''}. Номер записи {v.reference}.
            </p>
            <p>
              <strong>{decisionText(v, when)}</strong>
              {v.offerDeadline ? ` (ответ до ${when(v.offerDeadline)})` : ''}
            </p>
            {v.state === 'open' && (
              <>
                <div className="button-row">
                  <Button
                    variant="secondary"
                    onPress={() => setMoving(moving === v.appointmentId ? null : v.appointmentId)}
                  >
                    Перенести<span className="visually-hidden"> запись {v.patient.name}</span>
                  </Button>
                  <Button variant="secondary" onPress={() => setCancelling(v)}>
                    Отменить запись<span className="visually-hidden"> {v.patient.name}</span>
                  </Button>
                </div>
                {moving === v.appointmentId && (
                  <>
                    <p className="hint">
                      {v.portalAccount
                        ? 'Пациенту придёт предложение нового времени: он подтвердит перенос или откажется. Время закреплено за ним до ответа (не дольше суток и не позже 18:00 накануне приёма).'
                        : 'Пациент записан не через портал: запись переносится сразу. Позвоните пациенту и сообщите новое время.'}
                    </p>
                    <MovePicker absence={a} visit={v} colleagues={colleagues} onDone={(t) => void finish(t)} />
                  </>
                )}
              </>
            )}
          </li>
        ))}
      </ul>

      {open.length > 0 && (
        <section aria-labelledby="bulk-title" className="card">
          <h2 id="bulk-title">Все нерешённые записи сразу ({open.length})</h2>
          {colleagues.length > 0 && (
            <fieldset className="field">
              <legend>Перенести к врачам (на ближайшее свободное время)</legend>
              {colleagues.map((d) => (
                <CheckboxField
                  key={d.id}
                  id={`bulk-${d.id}`}
                  label={d.name}
                  isSelected={bulkDoctors.includes(d.id)}
                  onChange={(on) => setBulkDoctors(on ? [...bulkDoctors, d.id] : bulkDoctors.filter((x) => x !== d.id))}
                />
              ))}
            </fieldset>
          )}
          <div className="button-row">
            {colleagues.length > 0 && (
              <Button isDisabled={bulkDoctors.length === 0} onPress={() => setBulk('move')}>
                Перенести все
              </Button>
            )}
            <Button variant="secondary" onPress={() => setBulk('cancel')}>
              Отменить все
            </Button>
          </div>
        </section>
      )}

      {!a.cancelledAt && (
        <p>
          <Button variant="secondary" onPress={() => setReopening(true)}>
            Открыть приём снова
          </Button>
        </p>
      )}

      <ConfirmDialog
        isOpen={cancelling !== null}
        onClose={() => setCancelling(null)}
        title="Отменить запись по решению медицинской организации?"
        confirmLabel="Отменить запись"
        cancelLabel="Не отменять"
        danger
        onConfirm={async () => {
          if (!cancelling) return;
          try {
            await api.post(`/api/desk/absences/${a.id}/visits/${cancelling.appointmentId}/decide`, {
              action: 'cancel',
            });
          } catch (e) {
            await state.reload();
            throw new Error(asApiError(e).message);
          }
          const name = cancelling.patient.name;
          setCancelling(null);
          await finish(`${name}: запись отменена.`);
        }}
      >
        {cancelling && (
          <p>
            {cancelling.patient.name}, {when(cancelling.startAt)}.{' '}
            {cancelling.portalAccount
              ? 'Пациенту придёт уведомление с предложением встать в очередь.'
              : 'Пациент записан не через портал: позвоните ему.'}
          </p>
        )}
      </ConfirmDialog>

      <ConfirmDialog
        isOpen={bulk !== null}
        onClose={() => setBulk(null)}
        title={bulk === 'move' ? 'Перенести все нерешённые записи?' : 'Отменить все нерешённые записи?'}
        confirmLabel={bulk === 'move' ? 'Перенести все' : 'Отменить все'}
        cancelLabel="Назад"
        danger={bulk === 'cancel'}
        onConfirm={async () => {
          try {
            const r = await api.post<{ decided: number; left: number }>(
              `/api/desk/absences/${a.id}/decide-all`,
              bulk === 'move' ? { action: 'move', doctorIds: bulkDoctors } : { action: 'cancel' },
            );
            setBulk(null);
            await finish(`Решено записей: ${r.decided}.${r.left ? ` Осталось решить по одной: ${r.left}.` : ''}`);
          } catch (e) {
            throw new Error(asApiError(e).message);
          }
        }}
      >
        <p>
          {bulk === 'move'
            ? 'Каждая запись получит ближайшее к прежнему свободное время выбранных врачей. Пациентам портала придёт предложение, остальных перенесём сразу — им нужно позвонить.'
            : 'Записи будут отменены по решению медицинской организации. Пациентам портала придёт уведомление, остальным нужно позвонить.'}
        </p>
      </ConfirmDialog>

      <ConfirmDialog
        isOpen={reopening}
        onClose={() => setReopening(false)}
        title="Открыть приём снова?"
        confirmLabel="Открыть приём"
        cancelLabel="Не открывать"
        onConfirm={async () => {
          await api.post(`/api/desk/absences/${a.id}/cancel`);
          setReopening(false);
          await finish('Приём открыт: свободное время сначала предложено очереди.');
        }}
      >
        <p>
          Закрытое время снова станет свободным (сначала его предложат пациентам из очереди). Уже перенесённые и
          отменённые записи не вернутся.
        </p>
      </ConfirmDialog>
    </Page>
  );
}
