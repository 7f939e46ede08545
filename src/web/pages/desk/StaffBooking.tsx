// The staff booking journey (registry desk and doctor): choose the specialty and doctor of
// this organisation, a free time in the doctor's schedule, check and book. The patient
// travels as the opaque id in the path; the API is /api/desk or /api/doctor.
import { useState, type FormEvent, type ReactNode } from 'react';
import { Link, useNavigate, useParams, useSearchParams } from 'react-router';
import type {
  ChannelVisit,
  ScheduleResponse,
  StaffDoctorsResponse,
  StaffPatientResponse,
} from '../../../shared/api/index.js';
import { type ApiError, api } from '../../api.js';
import { useSession } from '../../session.js';
import { Button } from '../../ui/Button.js';
import { ErrorSummary } from '../../ui/ErrorSummary.js';
import { formatLocalDateTime, zoneNote } from '../../ui/format.js';
import { formatInstantShort } from '../../ui/datetime.js';
import { Page } from '../../ui/Page.js';
import { RadioChoice } from '../../ui/RadioChoice.js';
import { SummaryList } from '../../ui/SummaryList.js';
import { Forbidden, LoadProblem, Loading, ToLogin } from '../../ui/staff/Access.js';
import { formatBirthDate, fullName } from '../../ui/staff/format.js';
import { useApiData } from '../../ui/staff/useApiData.js';
import { capitalise } from '../patient/labels.js';
import { DoctorFacts, ScheduleGrid, ScheduleLegend } from '../patient/ScheduleGrid.js';
import { SchedulePaging } from '../patient/SchedulePaging.js';
import { asApiError } from '../patient/useApiData.js';
import { bookPaths, donePath, staffApi, staffRole, type BookedNotice, type StaffKind } from './staff.js';

function usePatient(kind: StaffKind, patientId: string) {
  return useApiData<StaffPatientResponse>(`${staffApi(kind)}/patients/${encodeURIComponent(patientId)}`);
}

/** «Пациент: …» above each step, so the clerk always sees whom they book. */
function PatientLine({ patient }: { patient: StaffPatientResponse['patient'] | undefined }) {
  if (!patient) return null;
  return (
    <p className="staff-patient-line">
      Пациент: <strong>{fullName(patient)}</strong>, {formatBirthDate(patient.birthDate)} г. р.
    </p>
  );
}

function nearestText(iso: string | null, timeZone: string): string {
  return iso ? `ближайшее свободное время: ${formatInstantShort(iso, timeZone)}` : 'свободного времени нет';
}

/** A page of the journey with the patient loaded; the load problems (401, 403, 404) shown the staff way. */
function JourneyPage({
  kind,
  title,
  back,
  patient,
  loadError,
  wide,
  children,
}: {
  kind: StaffKind;
  title: string;
  back: { to: string; label?: string };
  patient: StaffPatientResponse | null;
  loadError: ApiError | null;
  wide?: boolean;
  children: ReactNode;
}) {
  if (loadError) return <LoadProblem title={title} error={loadError} role={staffRole[kind]} back={back} />;
  return (
    <Page title={title} back={back} wide={wide}>
      <PatientLine patient={patient?.patient} />
      {children}
    </Page>
  );
}

/** Desk, step 1: the specialty (those with doctors in this organisation). */
export function DeskBookSpecialtyPage() {
  const { patientId = '' } = useParams();
  const navigate = useNavigate();
  const patient = usePatient('desk', patientId);
  const doctors = useApiData<StaffDoctorsResponse>('/api/desk/doctors');
  const [choice, setChoice] = useState<string | null>(null);
  const [error, setError] = useState<{ text: string; attempt: number } | null>(null);
  const title = 'Выберите специальность врача';
  const specialties = new Map<number, string>();
  for (const d of doctors.data?.doctors ?? []) specialties.set(d.specialty.id, d.specialty.name);
  const list = [...specialties.entries()].sort((a, b) => a[1].localeCompare(b[1], 'ru'));

  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (!choice) return setError({ text: 'Выберите специальность врача', attempt: (error?.attempt ?? 0) + 1 });
    void navigate(`${bookPaths.start('desk', patientId)}/specialty/${choice}`);
  };

  return (
    <JourneyPage
      kind="desk"
      title={title}
      back={{ to: `/desk/patients/${encodeURIComponent(patientId)}`, label: 'Назад' }}
      patient={patient.data}
      loadError={patient.error ?? doctors.error}
    >
      {!doctors.data ? (
        <Loading />
      ) : list.length === 0 ? (
        <p>В этой медицинской организации сейчас нет врачей, к которым можно записать.</p>
      ) : (
        <>
          <ErrorSummary key={error?.attempt ?? 0} message={null} fields={error ? { specialty: error.text } : {}} />
          <form className="form" noValidate onSubmit={submit}>
            <RadioChoice
              id="specialty"
              label={title}
              labelHidden
              value={choice}
              onChange={setChoice}
              error={error?.text}
              options={list.map(([id, name]) => ({ value: String(id), label: capitalise(name) }))}
            />
            <div className="button-row">
              <Button type="submit">Продолжить</Button>
            </div>
          </form>
        </>
      )}
    </JourneyPage>
  );
}

/**
 * Choose the doctor: at the desk the doctors of the chosen specialty; for a doctor every
 * doctor of the organisation, themself first («к себе»).
 */
export function StaffBookDoctorPage({ kind }: { kind: StaffKind }) {
  const { patientId = '', specialtyId } = useParams();
  const navigate = useNavigate();
  const patient = usePatient(kind, patientId);
  const doctors = useApiData<StaffDoctorsResponse>(`${staffApi(kind)}/doctors`);
  const [choice, setChoice] = useState<string | null>(null);
  const [error, setError] = useState<{ text: string; attempt: number } | null>(null);
  const title = kind === 'desk' ? 'Выберите врача' : 'К какому врачу записать на повторный приём';
  const back =
    kind === 'desk'
      ? { to: bookPaths.start('desk', patientId), label: 'Назад' }
      : { to: '/doctor', label: 'К списку пациентов' };

  const all = doctors.data?.doctors ?? [];
  // A doctor account is one of the doctors: offered first, «к себе».
  const { account } = useSession();
  const ownId = kind === 'doctor' ? (account?.doctorId ?? null) : null;
  const list = (kind === 'desk' ? all.filter((d) => String(d.specialty.id) === specialtyId) : all).slice();
  if (ownId !== null) list.sort((a, b) => (a.id === ownId ? -1 : b.id === ownId ? 1 : 0));

  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (!choice) return setError({ text: 'Выберите врача', attempt: (error?.attempt ?? 0) + 1 });
    void navigate(bookPaths.doctor(kind, patientId, choice));
  };

  return (
    <JourneyPage
      kind={kind}
      title={title}
      back={back}
      patient={patient.data}
      loadError={patient.error ?? doctors.error}
    >
      {!doctors.data ? (
        <Loading />
      ) : list.length === 0 ? (
        <p>
          Нет врачей этой специальности. <Link to={back.to}>Выбрать другую специальность</Link>
        </p>
      ) : (
        <>
          <ErrorSummary key={error?.attempt ?? 0} message={null} fields={error ? { doctor: error.text } : {}} />
          <form className="form" noValidate onSubmit={submit}>
            <RadioChoice
              id="doctor"
              label={title}
              labelHidden
              value={choice}
              onChange={setChoice}
              error={error?.text}
              options={list.map((d) => ({
                value: String(d.id),
                label: (
                  <>
                    {d.name}
                    {d.id === ownId ? ' (к себе)' : ''}
                  </>
                ),
                hint: `${capitalise(d.specialty.name)}, кабинет ${d.room}; ${nearestText(d.nearestFreeAt, d.organisation.timeZone)}`,
              }))}
            />
            <div className="button-row">
              <Button type="submit">Продолжить</Button>
            </div>
          </form>
        </>
      )}
    </JourneyPage>
  );
}

/** The doctor's schedule: a free time leads to the check page. */
export function StaffSchedulePage({ kind }: { kind: StaffKind }) {
  const { patientId = '', doctorId = '' } = useParams();
  const navigate = useNavigate();
  const [params] = useSearchParams();
  const from = params.get('from');
  const q = from && /^\d{4}-\d{2}-\d{2}$/.test(from) ? `?from=${from}` : '';
  const patient = usePatient(kind, patientId);
  const schedule = useApiData<ScheduleResponse>(
    `${staffApi(kind)}/doctors/${encodeURIComponent(doctorId)}/schedule${q}`,
  );
  const s = schedule.data;
  const title = 'Выберите дату и время';
  const back =
    kind === 'desk'
      ? {
          to: s
            ? `${bookPaths.start('desk', patientId)}/specialty/${s.doctor.specialty.id}`
            : bookPaths.start('desk', patientId),
          label: 'Назад',
        }
      : { to: bookPaths.start('doctor', patientId), label: 'Назад' };
  const zone = s ? zoneNote(s.doctor.organisation.timeZone, s.doctor.organisation.address) : null;

  return (
    <JourneyPage
      kind={kind}
      title={title}
      back={back}
      patient={patient.data}
      loadError={patient.error ?? schedule.error}
      wide
    >
      {!s ? (
        <Loading />
      ) : (
        <>
          <DoctorFacts doctor={s.doctor} />
          {zone && <p className="hint">{zone}</p>}
          {!s.hasFreeInHorizon && (
            <p>
              У врача нет свободного времени в пределах записи. <Link to={back.to}>Выбрать другого врача</Link>
            </p>
          )}
          <ScheduleLegend signedIn={false} freeText="свободное время: нажмите, чтобы записать пациента" />
          <h2>Расписание</h2>
          <SchedulePaging schedule={s} />
          <ScheduleGrid
            days={s.days}
            onFree={(slot) => {
              const day = s.days.find((d) => d.slots.some((x) => x.id === slot.id))?.date;
              void navigate(`${bookPaths.slot(kind, patientId, doctorId, slot.id)}${day ? `?from=${day}` : ''}`);
            }}
          />
        </>
      )}
    </JourneyPage>
  );
}

/** «Проверьте данные записи»: who, to whom, when and where; «Записать пациента» books. */
export function StaffCheckPage({ kind }: { kind: StaffKind }) {
  const { patientId = '', doctorId = '', slotId = '' } = useParams();
  const navigate = useNavigate();
  const [params] = useSearchParams();
  const from = params.get('from');
  const q = from && /^\d{4}-\d{2}-\d{2}$/.test(from) ? `?from=${from}&days=1` : '';
  const patient = usePatient(kind, patientId);
  const schedule = useApiData<ScheduleResponse>(
    `${staffApi(kind)}/doctors/${encodeURIComponent(doctorId)}/schedule${q}`,
  );
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<{ text: string; attempt: number } | null>(null);
  const [auth, setAuth] = useState<401 | 403 | null>(null);
  const title = 'Проверьте данные записи';
  const scheduleLink = `${bookPaths.doctor(kind, patientId, doctorId)}${from ? `?from=${from}` : ''}`;
  const back = { to: scheduleLink, label: 'Назад' };

  if (auth === 401) return <ToLogin />;
  if (auth === 403) return <Forbidden role={staffRole[kind]} />;

  const s = schedule.data;
  const day = s?.days.find((d) => d.slots.some((x) => String(x.id) === slotId));
  const slot = day?.slots.find((x) => String(x.id) === slotId);
  const p = patient.data?.patient;

  const book = async () => {
    if (!p || !slot) return;
    setBusy(true);
    try {
      const visit = await api.post<ChannelVisit>(`${staffApi(kind)}/appointments`, {
        patientId: p.patientId,
        slotId: slot.id,
      });
      const notice: BookedNotice = { booked: visit, patientName: fullName(p) };
      void navigate(donePath(kind, visit.patientId), { state: notice });
    } catch (e) {
      const a = asApiError(e);
      if (a.status === 401) return setAuth(401);
      if (a.status === 403 && a.code === 'FORBIDDEN') return setAuth(403);
      setProblem({ text: a.message, attempt: (problem?.attempt ?? 0) + 1 });
      setBusy(false);
    }
  };

  return (
    <JourneyPage kind={kind} title={title} back={back} patient={null} loadError={patient.error ?? schedule.error}>
      {problem && <ErrorSummary key={problem.attempt} message={problem.text} />}
      {problem && (
        <p>
          <Link to={scheduleLink}>Выбрать другое время</Link>
        </p>
      )}
      {!s || !p ? (
        <Loading />
      ) : !slot || !day || slot.state !== 'free' ? (
        <>
          <ErrorSummary message="Это время уже недоступно: его заняли или закрыли. Выберите другое время." />
          <p>
            <Link to={scheduleLink}>Выбрать другое время</Link>
          </p>
        </>
      ) : (
        <>
          <SummaryList
            rows={[
              { key: 'Пациент', value: fullName(p) },
              { key: 'Дата рождения', value: formatBirthDate(p.birthDate) },
              {
                key: 'Врач',
                value: s.doctor.name,
                change:
                  kind === 'desk'
                    ? `${bookPaths.start('desk', patientId)}/specialty/${s.doctor.specialty.id}`
                    : bookPaths.start('doctor', patientId),
              },
              { key: 'Специальность', value: capitalise(s.doctor.specialty.name) },
              { key: 'Дата и время', value: formatLocalDateTime(`${day.date}T${slot.time}`), change: scheduleLink },
              { key: 'Кабинет', value: s.doctor.room },
              { key: 'Медицинская организация', value: s.doctor.organisation.name },
              { key: 'Адрес', value: s.doctor.organisation.address },
            ]}
          />
          <div className="button-row">
            <Button isPending={busy} onPress={() => void book()}>
              Записать пациента
            </Button>
          </div>
        </>
      )}
    </JourneyPage>
  );
}
