// «Перенести» a visit (SPEC section 8a): the doctor (the same one, or another of the same
// specialty and organisation), then a free time in the doctor's schedule, then the check page
// with the old and the new time and «Перенести». The move is one request
// (POST /api/appointments/:id/move); its done page is the new visit's page with «Визит
// перенесён». No time is held on the way: a move keeps the old visit until the new time is
// booked, and a time taken meanwhile is refused with the doctor's nearest free times.
import { useState, type FormEvent } from 'react';
import { Link, useNavigate, useParams, useSearchParams } from 'react-router';
import type { AppointmentDetail, ScheduleResponse } from '../../../shared/api/index.js';
import type { MoveResponse } from '../../../shared/api/move.js';
import { localDateOf } from '../../../shared/time.js';
import { api } from '../../api.js';
import { Button } from '../../ui/Button.js';
import { formatInstantShort } from '../../ui/datetime.js';
import { ErrorSummary } from '../../ui/ErrorSummary.js';
import { formatLocalDateTime, zoneNote } from '../../ui/format.js';
import { Page } from '../../ui/Page.js';
import { RadioChoice } from '../../ui/RadioChoice.js';
import { SummaryList } from '../../ui/SummaryList.js';
import type { DoctorsResponse } from './endpoints.js';
import { intId } from './journey.js';
import { movePath } from './movePath.js';
import { capitalise } from './labels.js';
import { namedFreeTimes, NearestFreeTimes, type FreeTimes } from './NearestFreeTimes.js';
import { DoctorFacts, ScheduleGrid, ScheduleLegend } from './ScheduleGrid.js';
import { SchedulePaging, useScheduleUrl } from './SchedulePaging.js';
import { asApiError, LoadState, useApiData, useLoginRedirect } from './useApiData.js';

/** The visit being moved: loaded, and still movable (else why not, and the way back). */
function useMovedVisit(id: string) {
  return useApiData<AppointmentDetail>(`/api/appointments/${encodeURIComponent(id)}`);
}

function NotMovable({ visit }: { visit: AppointmentDetail }) {
  const why =
    visit.status !== 'booked'
      ? 'Эта запись уже не действует.'
      : (visit.cancelBlockedReason ?? 'Эту запись можно перенести только через регистратуру.');
  return (
    <>
      <ErrorSummary message={`Перенести эту запись через портал нельзя. ${why}`} />
      <p>
        <Link to={`/appointments/${encodeURIComponent(visit.id)}`}>Вернуться к записи</Link>
      </p>
      <p>
        <Link to="/cardfile">Перейти в «Мою картотеку»</Link>
      </p>
    </>
  );
}

/** «Сейчас: …» — the visit as it is, at the top of every step. */
function CurrentVisit({ visit }: { visit: AppointmentDetail }) {
  return (
    <div className="card move-current">
      <p>
        Сейчас: <strong>{formatLocalDateTime(visit.localStart)}</strong>
      </p>
      <p>
        {visit.person.name} — {visit.doctor.specialty.toLowerCase()}: {visit.doctor.name}, кабинет {visit.doctor.room}
      </p>
      <p className="hint">Номер записи {visit.reference}. Прежнее время освободится, когда запись будет перенесена.</p>
    </div>
  );
}

/** Step 1: «Выберите врача» — the visit's doctor first, then the colleagues of the same specialty and organisation. */
export function MoveDoctorPage() {
  const { id = '' } = useParams();
  const navigate = useNavigate();
  const visit = useMovedVisit(id);
  const v = visit.data;
  // The doctor's specialty id and organisation come with the doctor's schedule.
  const own = useApiData<ScheduleResponse>(v ? `/api/doctors/${v.doctor.id}/schedule?days=1` : null);
  const d = own.data?.doctor;
  const list = useApiData<DoctorsResponse>(
    d ? `/api/doctors?specialtyId=${d.specialty.id}&organisationId=${d.organisation.id}` : null,
  );
  const [choice, setChoice] = useState<string | null>(null);
  const [error, setError] = useState<{ text: string; attempt: number } | null>(null);
  const title = 'Перенести визит';
  const back = { to: `/appointments/${encodeURIComponent(id)}`, label: 'Назад' };
  if (!v || !d || !list.data) {
    return (
      <Page title={title} back={back}>
        <LoadState state={!v ? visit : !d ? own : list} />
      </Page>
    );
  }
  if (!v.cancellable) {
    return (
      <Page title={title} back={back}>
        <NotMovable visit={v} />
      </Page>
    );
  }
  // The visit's own doctor first, even when the list leaves him out (no portal time left).
  const others = list.data.doctors.filter((x) => x.id !== d.id);
  const doctors = [d, ...others];
  const picked = choice ?? String(d.id);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (!picked) {
      setError({ text: 'Выберите врача', attempt: (error?.attempt ?? 0) + 1 });
      return;
    }
    void navigate(movePath.doctor(id, picked));
  };
  return (
    <Page title={title} back={back}>
      <CurrentVisit visit={v} />
      <ErrorSummary key={error?.attempt ?? 0} message={null} fields={error ? { doctor: error.text } : {}} />
      <p>
        Перенести визит можно на другое время этого же врача или к другому врачу той же специальности в{' '}
        {d.organisation.name}.
      </p>
      <form className="form" noValidate onSubmit={submit}>
        <RadioChoice
          id="doctor"
          label="Выберите врача"
          value={picked}
          onChange={setChoice}
          error={error?.text}
          options={doctors.map((x) => ({
            value: String(x.id),
            label: x.id === d.id ? `${x.name} (ваш врач)` : x.name,
            isDisabled: x.nearestFreeAt === null,
            hint: (
              <>
                {capitalise(x.specialty.name)}, кабинет {x.room}
                <br />
                <strong>
                  {x.nearestFreeAt
                    ? `Ближайшее время: ${formatInstantShort(x.nearestFreeAt, x.organisation.timeZone)}`
                    : 'Нет свободного времени'}
                </strong>
              </>
            ),
          }))}
        />
        <div className="button-row">
          <Button type="submit">Продолжить</Button>
        </div>
      </form>
    </Page>
  );
}

/** Step 2: «Выберите новое время» — the doctor's schedule; a free time leads to the check page. */
export function MoveTimePage() {
  const { id = '', doctorId = '' } = useParams();
  const navigate = useNavigate();
  const visit = useMovedVisit(id);
  const state = useApiData<ScheduleResponse>(useScheduleUrl(doctorId));
  const v = visit.data;
  const s = state.data;
  const title = 'Выберите новое время';
  const back = { to: movePath.start(id), label: 'Назад' };
  if (v && !v.cancellable) {
    return (
      <Page title={title} back={back}>
        <NotMovable visit={v} />
      </Page>
    );
  }
  const zone = s ? zoneNote(s.doctor.organisation.timeZone, s.doctor.organisation.address) : null;
  return (
    <Page title={title} back={back} wide>
      {v && <CurrentVisit visit={v} />}
      <LoadState state={!v ? visit : state} />
      {s && v && (
        <>
          <DoctorFacts doctor={s.doctor} />
          {zone && <p className="hint">{zone}</p>}
          {!s.hasFreeInHorizon && (
            <p>
              У этого врача нет свободного времени. <Link to={movePath.start(id)}>Выбрать другого врача</Link>
            </p>
          )}
          <ScheduleLegend
            signedIn
            freeText="свободное время: нажмите, чтобы перенести визит на него"
            mineText="ваша запись (красная рамка и значок), в том числе та, которую вы переносите"
          />
          <h2>Расписание</h2>
          <SchedulePaging schedule={s} />
          <ScheduleGrid
            days={s.days}
            label="Новое время приёма"
            onFree={(slot) => {
              const day = s.days.find((x) => x.slots.some((y) => y.id === slot.id))?.date;
              void navigate(movePath.check(id, slot.id, s.doctor.id, day));
            }}
          />
        </>
      )}
    </Page>
  );
}

/** Step 3: «Проверьте перенос» — the old time and the new one; «Перенести» moves. */
export function MoveCheckPage() {
  const { slotId = '' } = useParams();
  // Another time chosen here is a new page: nothing of the last one's state carries over.
  return <MoveCheck key={slotId} />;
}

function MoveCheck() {
  const { id = '', slotId = '' } = useParams();
  const [params] = useSearchParams();
  const navigate = useNavigate();
  const redirect = useLoginRedirect();
  const doctorId = intId(params.get('doctor') ?? undefined);
  const from = params.get('from');
  const visit = useMovedVisit(id);
  const schedule = useApiData<ScheduleResponse>(
    doctorId
      ? `/api/doctors/${doctorId}/schedule${from && /^\d{4}-\d{2}-\d{2}$/.test(from) ? `?from=${from}` : ''}`
      : null,
  );
  const [error, setError] = useState<{ code: string; text: string; attempt: number } | null>(null);
  const [nearest, setNearest] = useState<FreeTimes | null>(null);
  const [busy, setBusy] = useState(false);
  const v = visit.data;
  const s = schedule.data;
  const title = 'Проверьте перенос';
  const timePath = doctorId ? movePath.doctor(id, doctorId) : movePath.start(id);
  const back = { to: timePath, label: 'Назад' };
  if (!v || !s) {
    return (
      <Page title={title} back={back}>
        {!doctorId ? <NotFoundTime id={id} /> : <LoadState state={!v ? visit : schedule} />}
      </Page>
    );
  }
  if (!v.cancellable) {
    return (
      <Page title={title} back={back}>
        <NotMovable visit={v} />
      </Page>
    );
  }
  const day = s.days.find((x) => x.slots.some((y) => String(y.id) === slotId));
  const slot = day?.slots.find((y) => String(y.id) === slotId);
  if (!day || !slot) {
    return (
      <Page title={title} back={back}>
        <NotFoundTime id={id} />
      </Page>
    );
  }
  const tz = s.doctor.organisation.timeZone;
  const zone = zoneNote(tz, s.doctor.organisation.address);
  const newWhen = formatLocalDateTime(`${day.date}T${slot.time}`);

  const confirm = async () => {
    setBusy(true);
    try {
      const moved = await api.post<MoveResponse>(`/api/appointments/${encodeURIComponent(id)}/move`, {
        slotId: Number(slotId),
      });
      void navigate(`/appointments/${encodeURIComponent(moved.id)}?moved=1`, {
        replace: true,
        state: { movedFrom: moved.movedFrom.localStart },
      });
    } catch (e) {
      if (redirect(e)) return;
      const a = asApiError(e);
      setError({ code: a.code, text: a.message, attempt: (error?.attempt ?? 0) + 1 });
      setNearest(namedFreeTimes(a));
      setBusy(false);
      void visit.reload();
    }
  };

  return (
    <Page title={title} back={back}>
      {error && <ErrorSummary key={error.attempt} message={error.text} />}
      {nearest && (
        <NearestFreeTimes
          times={nearest}
          timeZone={tz}
          pendingSlotId={null}
          onChoose={(other) => {
            const at = nearest.find((n) => n.id === other)?.startAt;
            const date = at ? localDateOf(new Date(at), tz) : undefined;
            void navigate(movePath.check(id, other, s.doctor.id, date), { replace: true });
          }}
        />
      )}
      <SummaryList
        rows={[
          { key: 'Пациент', value: v.person.name },
          {
            key: 'Было',
            value: (
              <>
                <s>{formatLocalDateTime(v.localStart)}</s>
                <span className="visually-hidden"> (прежнее время)</span>
                <br />
                <span className="hint">{v.doctor.name}</span>
              </>
            ),
          },
          {
            key: 'Новое время',
            value: (
              <>
                <strong>{newWhen}</strong>
                {zone && (
                  <>
                    <br />
                    <span className="hint">{zone}</span>
                  </>
                )}
              </>
            ),
            change: timePath,
          },
          { key: 'Врач', value: s.doctor.name, change: movePath.start(id) },
          { key: 'Специальность', value: capitalise(s.doctor.specialty.name) },
          { key: 'Кабинет', value: s.doctor.room },
          { key: 'Медицинская организация', value: s.doctor.organisation.name },
          { key: 'Адрес', value: s.doctor.organisation.address },
        ]}
      />
      {error?.code === 'SLOT_TAKEN' ? (
        // The time is someone else's now: choose another one (above, or in the schedule).
        <p>
          <Link className="button" to={timePath}>
            Выбрать время ещё раз
          </Link>
        </p>
      ) : (
        <>
          <p>
            Запись будет перенесена на новое время, а прежнее время станет свободным для других пациентов. Номер записи
            изменится.
          </p>
          <div className="button-row">
            <Button isPending={busy} onPress={() => void confirm()}>
              Перенести
            </Button>
            <Link className="button button-secondary" to={`/appointments/${encodeURIComponent(id)}`}>
              Отмена
            </Link>
          </div>
        </>
      )}
    </Page>
  );
}

function NotFoundTime({ id }: { id: string }) {
  return (
    <>
      <ErrorSummary message="Этого времени уже нет в расписании. Выберите время ещё раз." />
      <p>
        <Link className="button" to={movePath.start(id)}>
          Выбрать время ещё раз
        </Link>
      </p>
    </>
  );
}
