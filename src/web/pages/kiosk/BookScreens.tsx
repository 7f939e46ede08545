// Booking at the kiosk, all by touch: specialty -> doctor -> day -> time -> check -> done.
// Only this organisation's doctors are offered (the server scopes every list).
import { useState } from 'react';
import type {
  DoctorSummary,
  KioskSpecialty,
  KioskVisit,
  ScheduleResponse,
  ScheduleSlot,
} from '../../../shared/api/index.js';
import { localDateOf } from '../../../shared/time.js';
import { ApiError } from '../../api.js';
import { formatInstantShort, formatInstantTime } from '../../ui/datetime.js';
import { formatDayLong, plural } from '../../ui/format.js';
import { capitalise } from '../patient/labels.js';
import { namedFreeTimes, type FreeTimes } from '../patient/NearestFreeTimes.js';
import { useKiosk, useKioskData } from './kiosk.context.js';
import { kioskApi } from './kioskApi.js';
import { KioskActions, KioskButton, KioskError, KioskHeading, KioskLoading } from './KioskParts.js';
import { VisitFacts } from './VisitsScreens.js';

export interface ScheduleDay {
  date: string;
  slots: ScheduleSlot[];
}

/** The time a check screen books: its slot, its local day and its local time. */
export interface ChosenTime {
  slotId: number;
  date: string;
  time: string;
}

function Back({ onBack, label = 'Назад' }: { onBack(): void; label?: string }) {
  return (
    <KioskActions>
      <KioskButton variant="secondary" onPress={onBack}>
        {label}
      </KioskButton>
    </KioskActions>
  );
}

export function SpecialtyScreen({ onChoose, onBack }: { onChoose(s: KioskSpecialty): void; onBack(): void }) {
  const { data, error } = useKioskData<{ specialties: KioskSpecialty[] }>('/api/kiosk/specialties');
  return (
    <div>
      <KioskHeading>Выберите специалиста</KioskHeading>
      <KioskError message={error} />
      {!data && !error && <KioskLoading />}
      {data && (
        <ul className="kiosk-choices">
          {data.specialties.map((s) => {
            const reason = s.refusal ?? (s.hasFreeTime ? null : 'Свободного времени нет. Запишитесь в регистратуре.');
            return (
              <li key={s.id}>
                {reason ? (
                  <div className="kiosk-choice kiosk-choice-off">
                    <span className="kiosk-choice-title">{capitalise(s.name)}</span>
                    <span className="kiosk-choice-note">{reason}</span>
                  </div>
                ) : (
                  <KioskButton variant="choice" onPress={() => onChoose(s)}>
                    <span className="kiosk-choice-title">{capitalise(s.name)}</span>
                    <span className="kiosk-choice-note">
                      {s.doctorCount} {plural(s.doctorCount, ['врач', 'врача', 'врачей'])}
                    </span>
                  </KioskButton>
                )}
              </li>
            );
          })}
        </ul>
      )}
      <Back onBack={onBack} label="К моим записям" />
    </div>
  );
}

export function DoctorScreen({
  specialty,
  onChoose,
  onBack,
}: {
  specialty: KioskSpecialty;
  onChoose(d: DoctorSummary): void;
  onBack(): void;
}) {
  const { home } = useKiosk();
  const { data, error } = useKioskData<{ doctors: DoctorSummary[] }>(`/api/kiosk/doctors?specialtyId=${specialty.id}`);
  return (
    <div>
      <KioskHeading>{capitalise(specialty.name)}: выберите врача</KioskHeading>
      <KioskError message={error} />
      {!data && !error && <KioskLoading />}
      {data && (
        <ul className="kiosk-choices">
          {data.doctors.map((d) => (
            <li key={d.id}>
              {d.nearestFreeAt ? (
                <KioskButton variant="choice" onPress={() => onChoose(d)}>
                  <span className="kiosk-choice-title">{d.name}</span>
                  <span className="kiosk-choice-note">
                    Кабинет {d.room}. Ближайшее время: {formatInstantShort(d.nearestFreeAt, home.organisation.timeZone)}
                  </span>
                </KioskButton>
              ) : (
                <div className="kiosk-choice kiosk-choice-off">
                  <span className="kiosk-choice-title">{d.name}</span>
                  <span className="kiosk-choice-note">Кабинет {d.room}. Свободного времени нет.</span>
                </div>
              )}
            </li>
          ))}
        </ul>
      )}
      <Back onBack={onBack} />
    </div>
  );
}

export function DayScreen({
  doctor,
  onChoose,
  onBack,
}: {
  doctor: DoctorSummary;
  onChoose(day: ScheduleDay): void;
  onBack(): void;
}) {
  const { data, error } = useKioskData<ScheduleResponse>(`/api/kiosk/doctors/${doctor.id}/schedule`);
  const days = (data?.days ?? [])
    .map((d) => ({ date: d.date, slots: d.slots.filter((s) => s.state === 'free') }))
    .filter((d) => d.slots.length > 0);
  return (
    <div>
      <KioskHeading>Выберите день</KioskHeading>
      <p className="kiosk-lead">
        {doctor.name}, кабинет {doctor.room}
      </p>
      <KioskError message={error} />
      {!data && !error && <KioskLoading />}
      {data && days.length === 0 && <p className="kiosk-lead">Свободного времени у этого врача сейчас нет.</p>}
      {days.length > 0 && (
        <ul className="kiosk-choices kiosk-choices-grid">
          {days.map((d) => (
            <li key={d.date}>
              <KioskButton variant="choice" onPress={() => onChoose(d)}>
                <span className="kiosk-choice-title">{capitalise(formatDayLong(d.date))}</span>
                <span className="kiosk-choice-note">
                  Свободно: {d.slots.length} {plural(d.slots.length, ['приём', 'приёма', 'приёмов'])}
                </span>
              </KioskButton>
            </li>
          ))}
        </ul>
      )}
      <Back onBack={onBack} />
    </div>
  );
}

export function TimeScreen({
  doctor,
  day,
  onChoose,
  onBack,
}: {
  doctor: DoctorSummary;
  day: ScheduleDay;
  onChoose(slot: ScheduleSlot): void;
  onBack(): void;
}) {
  return (
    <div>
      <KioskHeading>Выберите время</KioskHeading>
      <p className="kiosk-lead">
        {capitalise(formatDayLong(day.date))}. {doctor.name}, кабинет {doctor.room}
      </p>
      <ul className="kiosk-times">
        {day.slots.map((s) => (
          <li key={s.id}>
            <KioskButton variant="choice" onPress={() => onChoose(s)}>
              {s.time}
            </KioskButton>
          </li>
        ))}
      </ul>
      <Back onBack={onBack} label="Другой день" />
    </div>
  );
}

export function ConfirmScreen({
  specialty,
  doctor,
  time,
  onBooked,
  onOtherTime,
  onNamedTime,
  onBack,
}: {
  specialty: KioskSpecialty;
  doctor: DoctorSummary;
  time: ChosenTime;
  onBooked(v: KioskVisit): void;
  onOtherTime(): void;
  /** One of the free times a «taken» answer named: its own check screen. */
  onNamedTime(time: ChosenTime): void;
  onBack(): void;
}) {
  const { home, patient, problem } = useKiosk();
  const timeZone = home.organisation.timeZone;
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<{ message: string; taken: boolean; freeTimes: FreeTimes } | null>(null);
  const book = async () => {
    setBusy(true);
    setError(null);
    try {
      onBooked(
        await kioskApi.post<KioskVisit>('/api/kiosk/appointments', { slotId: time.slotId }, patient?.token ?? null),
      );
    } catch (err) {
      const message = problem(err);
      const code = err instanceof Error && 'code' in err ? String((err as { code: unknown }).code) : '';
      if (message)
        setError({
          message,
          taken: code === 'SLOT_TAKEN' || code === 'SLOT_IN_PAST',
          freeTimes: (err instanceof ApiError && namedFreeTimes(err)) || [],
        });
      setBusy(false);
    }
  };
  const freeTimes = error?.freeTimes ?? [];
  return (
    <div>
      <KioskHeading>Проверьте запись</KioskHeading>
      <KioskError message={error?.message ?? null} />
      {freeTimes.length > 0 && (
        <section aria-labelledby="kiosk-nearest-title">
          <h2 id="kiosk-nearest-title" className="kiosk-lead">
            Ближайшее свободное время у этого врача
          </h2>
          <ul className="kiosk-choices kiosk-nearest">
            {freeTimes.map((t) => {
              const named = {
                slotId: t.id,
                date: localDateOf(new Date(t.startAt), timeZone),
                time: formatInstantTime(t.startAt, timeZone),
              };
              return (
                <li key={t.id}>
                  <KioskButton variant="choice" onPress={() => onNamedTime(named)}>
                    <span className="kiosk-choice-title">{named.time}</span>
                    <span className="kiosk-choice-note">{capitalise(formatDayLong(named.date))}</span>
                  </KioskButton>
                </li>
              );
            })}
          </ul>
        </section>
      )}
      <div className="kiosk-card">
        <dl className="kiosk-facts">
          <div>
            <dt>Пациент</dt>
            <dd>{patient?.greeting}</dd>
          </div>
          <div>
            <dt>Когда</dt>
            <dd>
              {capitalise(formatDayLong(time.date))}, {time.time}
            </dd>
          </div>
          <div>
            <dt>Врач</dt>
            <dd>
              {doctor.name}, {specialty.name}
            </dd>
          </div>
          <div>
            <dt>Кабинет</dt>
            <dd>{doctor.room}</dd>
          </div>
          <div>
            <dt>Адрес</dt>
            <dd>{home.organisation.address}</dd>
          </div>
        </dl>
      </div>
      <KioskActions>
        {error?.taken ? (
          <KioskButton variant="secondary" onPress={onOtherTime}>
            Выбрать другое время
          </KioskButton>
        ) : (
          <KioskButton variant="secondary" onPress={onBack} isDisabled={busy}>
            Назад
          </KioskButton>
        )}
        <KioskButton isPending={busy} isDisabled={error?.taken} onPress={() => void book()}>
          Записаться
        </KioskButton>
      </KioskActions>
    </div>
  );
}

export function DoneScreen({ visit, onDone }: { visit: KioskVisit; onDone(): void }) {
  return (
    <div>
      <KioskHeading>Вы записаны</KioskHeading>
      <div className="kiosk-reference">
        <p className="kiosk-reference-label">Номер записи</p>
        <p className="kiosk-reference-value">{visit.reference}</p>
      </div>
      <div className="kiosk-card">
        <VisitFacts visit={visit} />
        <dl className="kiosk-facts">
          <div>
            <dt>Адрес</dt>
            <dd>{visit.organisation.address}</dd>
          </div>
        </dl>
      </div>
      <p className="kiosk-lead">
        Запишите или сфотографируйте номер записи. Возьмите с собой полис ОМС и паспорт. Отменить запись можно здесь, на
        инфомате, пока регистратура не подготовила списки пациентов на день приёма, или по телефону регистратуры{' '}
        {visit.organisation.phone}.
      </p>
      <KioskActions>
        <KioskButton className="kiosk-button-large" onPress={onDone}>
          Готово
        </KioskButton>
      </KioskActions>
    </div>
  );
}
