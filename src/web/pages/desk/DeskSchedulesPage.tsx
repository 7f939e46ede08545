// «Расписание врачей» at the desk: choose a doctor of this organisation, then close a free
// time (the doctor does not see patients then) or open a closed one, after a confirmation.
import { useState } from 'react';
import { Link, useParams, useSearchParams } from 'react-router';
import type { ScheduleResponse, ScheduleSlot, StaffDoctorsResponse } from '../../../shared/api/index.js';
import { ApiError, api } from '../../api.js';
import { ConfirmDialog } from '../../ui/ConfirmDialog.js';
import { formatDayLong, zoneNote } from '../../ui/format.js';
import { formatDayMonth, formatInstantShort } from '../../ui/datetime.js';
import { Page } from '../../ui/Page.js';
import { LoadProblem, Loading } from '../../ui/staff/Access.js';
import { useApiData } from '../../ui/staff/useApiData.js';
import { capitalise } from '../patient/labels.js';
import { LiveMessage } from '../patient/LiveMessage.js';
import { DoctorFacts } from '../patient/ScheduleGrid.js';
import { SchedulePaging } from '../patient/SchedulePaging.js';
import { asApiError } from '../patient/useApiData.js';
import { AbsenceNotice } from '../absence/AbsenceNotice.js';

const LIST_TITLE = 'Расписание врачей';

export function DeskDoctorsPage() {
  const { data, error, reload } = useApiData<StaffDoctorsResponse>('/api/desk/doctors');
  if (error) return <LoadProblem title={LIST_TITLE} error={error} role="registrar" onRetry={() => void reload()} />;
  return (
    <Page title={LIST_TITLE} back={{ to: '/desk', label: 'К поиску пациента' }}>
      {!data ? (
        <Loading />
      ) : (
        <>
          <p className="lead">
            {data.organisation.name}. Выберите врача, чтобы закрыть для записи время, когда он не принимает, или открыть
            его снова.
          </p>
          <p>
            <Link to="/desk/absences">Закрыть приём врача на день или несколько дней</Link> (болезнь, отпуск, учёба)
          </p>
          <ul className="list-plain staff-queue">
            {data.doctors.map((d) => (
              <li key={d.id} className="card staff-queue-item">
                <h2 className="staff-queue-name">
                  <Link to={`/desk/schedules/${d.id}`}>{d.name}</Link>
                </h2>
                <p className="staff-note">
                  {capitalise(d.specialty.name)}, кабинет {d.room}.{' '}
                  {d.nearestFreeAt
                    ? `Ближайшее свободное время: ${formatInstantShort(d.nearestFreeAt, d.organisation.timeZone)}.`
                    : 'Свободного времени нет.'}
                </p>
              </li>
            ))}
          </ul>
        </>
      )}
    </Page>
  );
}

interface Pending {
  slot: ScheduleSlot;
  date: string;
  action: 'block' | 'unblock';
}

export function DeskDoctorSchedulePage() {
  const { doctorId = '' } = useParams();
  const [params] = useSearchParams();
  const from = params.get('from');
  const q = from && /^\d{4}-\d{2}-\d{2}$/.test(from) ? `?from=${from}` : '';
  const {
    data: s,
    error,
    reload,
  } = useApiData<ScheduleResponse>(`/api/desk/doctors/${encodeURIComponent(doctorId)}/schedule${q}`);
  const [pending, setPending] = useState<Pending | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const back = { to: '/desk/schedules', label: 'К списку врачей' };
  const title = 'Закрыть или открыть время';

  if (error) {
    const shown =
      error.status === 404 ? new ApiError(404, 'NOT_FOUND', 'Врач не найден в вашей медицинской организации.') : error;
    return <LoadProblem title={title} error={shown} role="registrar" back={back} />;
  }
  const zone = s ? zoneNote(s.doctor.organisation.timeZone, s.doctor.organisation.address) : null;
  const label = (p: Pending) => `${formatDayMonth(p.date)}, ${p.slot.time}`;

  return (
    <Page title={title} back={back} wide>
      <LiveMessage message={done} title="Расписание изменено" />
      {!s ? (
        <Loading />
      ) : (
        <>
          <DoctorFacts doctor={s.doctor} />
          <AbsenceNotice doctorId={s.doctor.id} />
          {zone && <p className="hint">{zone}</p>}
          <p>
            <Link to={`/clinic/schedules/${s.doctor.id}`}>Шаблон расписания, квоты и исключения</Link>
          </p>
          <p>
            Нажмите на свободное время, чтобы закрыть его для записи, или на закрытое («Нет приёма»), чтобы открыть.
            Занятое время изменить нельзя: сначала отмените запись пациента.
          </p>
          <SchedulePaging schedule={s} />
          <div className="schedule">
            {s.days.map((day) => (
              <section className="schedule-day" key={day.date} aria-labelledby={`day-${day.date}`}>
                <h3 id={`day-${day.date}`}>{formatDayLong(day.date)}</h3>
                {day.slots.length === 0 ? (
                  <p className="hint">Приёма нет</p>
                ) : (
                  <ul className="slot-list">
                    {day.slots.map((slot) => (
                      <li key={slot.id}>
                        {slot.state === 'free' || slot.state === 'blocked' ? (
                          <button
                            type="button"
                            className={`slot slot-${slot.state}`}
                            aria-label={`${formatDayMonth(day.date)}, ${slot.time}${slot.channel === 'registry' ? ', для регистратуры' : slot.channel === 'referral' ? ', по направлению' : ''}, ${slot.state === 'free' ? 'свободно, закрыть для записи' : 'нет приёма, открыть для записи'}`}
                            onClick={() =>
                              setPending({ slot, date: day.date, action: slot.state === 'free' ? 'block' : 'unblock' })
                            }
                          >
                            <span className="slot-time">{slot.time}</span>
                            <span className="slot-text">{slot.state === 'free' ? 'Свободно' : 'Нет приёма'}</span>
                            {slot.channel === 'registry' && <span className="slot-text">Регистратура</span>}
                            {slot.channel === 'referral' && <span className="slot-text">По направлению</span>}
                          </button>
                        ) : (
                          <span className="slot slot-busy">
                            <span className="visually-hidden">{formatDayMonth(day.date)}, </span>
                            <span className="slot-time">{slot.time}</span>
                            <span className="slot-text">Занято</span>
                          </span>
                        )}
                      </li>
                    ))}
                  </ul>
                )}
              </section>
            ))}
          </div>
          <ConfirmDialog
            isOpen={pending !== null}
            onClose={() => setPending(null)}
            title={pending?.action === 'block' ? 'Закрыть время для записи?' : 'Открыть время для записи?'}
            confirmLabel={pending?.action === 'block' ? 'Закрыть время' : 'Открыть время'}
            cancelLabel="Не менять"
            danger={pending?.action === 'block'}
            onConfirm={async () => {
              if (!pending) return;
              try {
                const res = await api.post<{ status: string }>(`/api/desk/slots/${pending.slot.id}/${pending.action}`);
                setDone(
                  pending.action === 'block'
                    ? `${label(pending)}: время закрыто для записи.`
                    : res.status === 'held'
                      ? `${label(pending)}: время открыто и предложено пациенту из очереди.`
                      : `${label(pending)}: время открыто для записи.`,
                );
              } catch (e) {
                await reload();
                throw new Error(asApiError(e).message);
              }
              setPending(null);
              await reload();
            }}
          >
            {pending && (
              <p>
                {pending.action === 'block'
                  ? `На ${label(pending)} к врачу нельзя будет записаться.`
                  : `На ${label(pending)} снова можно будет записаться. Если кто-то ждёт в очереди, время сначала предложат ему.`}
              </p>
            )}
          </ConfirmDialog>
        </>
      )}
    </Page>
  );
}
