// «Приём пациентов»: this doctor's patients today and in the coming days, with
// «Записать на повторный приём» and, once a visit has started, whether the patient came.
import { useState } from 'react';
import { Link, useLocation } from 'react-router';
import type { DoctorAppointment, DoctorPatientsResponse } from '../../../shared/api/index.js';
import { bySex } from '../../../shared/agreement.js';
import { api } from '../../api.js';
import { Button } from '../../ui/Button.js';
import { ErrorSummary } from '../../ui/ErrorSummary.js';
import { formatDayLong, plural } from '../../ui/format.js';
import { Page } from '../../ui/Page.js';
import { LoadProblem, Loading } from '../../ui/staff/Access.js';
import { formatBirthDate } from '../../ui/staff/format.js';
import { useApiData } from '../../ui/staff/useApiData.js';
import { capitalise } from '../patient/labels.js';
import { LiveMessage } from '../patient/LiveMessage.js';
import { asApiError } from '../patient/useApiData.js';
import { BookedPanel } from '../desk/BookedPanel.js';
import { bookPaths, isBookedNotice, staffSourceLabel, staffStatusLabel } from '../desk/staff.js';
import { ReleasedNote } from '../desk/ReleasedNote.js';

const TITLE = 'Приём пациентов';

function AppointmentRow({
  a,
  timeZone,
  onOutcome,
  busy,
}: {
  a: DoctorAppointment;
  /** The organisation's zone: the time the patient warned is shown in it. */
  timeZone: string;
  onOutcome(a: DoctorAppointment, status: 'visited' | 'no_show'): void;
  busy: boolean;
}) {
  const time = a.localStart.slice(11, 16);
  return (
    <li className="visit doctor-appointment">
      <div className="visit-head">
        <p className="visit-when">
          <span className="doctor-time">{time}</span> {a.patient.name}
        </p>
        <span className={`visit-status visit-status-${a.status}`}>{staffStatusLabel(a.status, a.patient.sex)}</span>
      </div>
      {a.status === 'booked' && <ReleasedNote releasedAt={a.releasedAt} timeZone={timeZone} />}
      <dl className="visit-details">
        <div>
          <dt>Дата рождения</dt>
          <dd>{formatBirthDate(a.patient.birthDate)}</dd>
        </div>
        <div>
          <dt>Номер записи</dt>
          <dd className="staff-nowrap">{a.reference}</dd>
        </div>
        <div>
          <dt>Источник записи</dt>
          <dd>{staffSourceLabel[a.source]}</dd>
        </div>
      </dl>
      <div className="visit-actions button-row">
        <Link className="button button-secondary" to={bookPaths.start('doctor', a.patientId)}>
          Записать на повторный приём<span className="visually-hidden"> — {a.patient.name}</span>
        </Link>
        <Link className="button button-secondary" to={`/doctor/patients/${encodeURIComponent(a.patientId)}/referral`}>
          Выдать направление<span className="visually-hidden"> — {a.patient.name}</span>
        </Link>
        {a.outcomeAllowed && a.status !== 'visited' && (
          <Button variant="secondary" isDisabled={busy} onPress={() => onOutcome(a, 'visited')}>
            {bySex(a.patient.sex, { M: 'Пациент пришёл', F: 'Пациентка пришла', neutral: 'Приём состоялся' })}
            <span className="visually-hidden">
              {' '}
              — {a.patient.name}, {time}
            </span>
          </Button>
        )}
        {a.outcomeAllowed && a.status !== 'no_show' && (
          <Button variant="secondary" isDisabled={busy} onPress={() => onOutcome(a, 'no_show')}>
            {bySex(a.patient.sex, { M: 'Не пришёл', F: 'Не пришла', neutral: 'Неявка' })}
            <span className="visually-hidden">
              {' '}
              — {a.patient.name}, {time}
            </span>
          </Button>
        )}
      </div>
    </li>
  );
}

export function DoctorPatientsPage() {
  const location = useLocation();
  const state: unknown = location.state;
  const { data, error, reload } = useApiData<DoctorPatientsResponse>('/api/doctor/patients');
  const [done, setDone] = useState<string | null>(null);
  const [problem, setProblem] = useState<{ text: string; attempt: number } | null>(null);
  const [busy, setBusy] = useState(false);

  if (error) return <LoadProblem title={TITLE} error={error} role="doctor" onRetry={() => void reload()} />;

  const outcome = async (a: DoctorAppointment, status: 'visited' | 'no_show') => {
    setBusy(true);
    setProblem(null);
    try {
      await api.post(`/api/doctor/appointments/${encodeURIComponent(a.id)}/outcome`, { status });
      setDone(
        `${a.localStart.slice(11, 16)}, ${a.patient.name}: ${status === 'visited' ? 'приём состоялся' : bySex(a.patient.sex, { M: 'пациент не пришёл', F: 'пациентка не пришла', neutral: 'неявка' })}.`,
      );
      await reload();
    } catch (e) {
      setProblem({ text: asApiError(e).message, attempt: (problem?.attempt ?? 0) + 1 });
    } finally {
      setBusy(false);
    }
  };

  return (
    <Page title={TITLE}>
      {isBookedNotice(state) && !done && <BookedPanel notice={state} />}
      {problem && <ErrorSummary key={problem.attempt} message={problem.text} />}
      <LiveMessage message={done} title="Отмечено" />
      {!data ? (
        <Loading />
      ) : (
        <>
          <p className="lead">
            {data.doctor.name}, {data.doctor.specialty.name}, кабинет {data.doctor.room}.{' '}
            {data.doctor.organisation.name}.
          </p>
          {data.days.map((day) => (
            <section key={day.date} className="staff-section" aria-labelledby={`day-${day.date}`}>
              <h2 id={`day-${day.date}`}>
                {day.date === data.today ? `Сегодня, ${formatDayLong(day.date)}` : capitalise(formatDayLong(day.date))}
              </h2>
              {day.appointments.length === 0 ? (
                <p>{day.date === data.today ? 'Сегодня записанных пациентов нет.' : 'Записанных пациентов нет.'}</p>
              ) : (
                <>
                  <p className="staff-count">
                    {day.appointments.length} {plural(day.appointments.length, ['пациент', 'пациента', 'пациентов'])}
                  </p>
                  <ul className="visit-list">
                    {day.appointments.map((a) => (
                      <AppointmentRow
                        key={a.id}
                        a={a}
                        timeZone={data.doctor.organisation.timeZone}
                        onOutcome={(x, st) => void outcome(x, st)}
                        busy={busy}
                      />
                    ))}
                  </ul>
                </>
              )}
            </section>
          ))}
          <p>
            <button type="button" className="button button-secondary" onClick={() => void reload()}>
              Обновить список
            </button>
          </p>
        </>
      )}
    </Page>
  );
}
