// The booking steps of the kiosk, one screen each, with their way back.
import type { DoctorSummary, KioskSpecialty, KioskVisit } from '../../../shared/api/index.js';
import {
  ConfirmScreen,
  DayScreen,
  DoctorScreen,
  SpecialtyScreen,
  TimeScreen,
  type ChosenTime,
  type ScheduleDay,
} from './BookScreens.js';

export type BookStep =
  | { kind: 'specialty' }
  | { kind: 'doctor'; specialty: KioskSpecialty }
  | { kind: 'day'; specialty: KioskSpecialty; doctor: DoctorSummary }
  | { kind: 'time'; specialty: KioskSpecialty; doctor: DoctorSummary; day: ScheduleDay }
  /** `day`: the day whose list the time was chosen from (null: a time a «taken» answer named). */
  | { kind: 'confirm'; specialty: KioskSpecialty; doctor: DoctorSummary; day: ScheduleDay | null; time: ChosenTime };

export function BookScreens({
  step,
  go,
  toVisits,
  onBooked,
}: {
  step: BookStep;
  go(next: BookStep): void;
  toVisits(): void;
  onBooked(v: KioskVisit): void;
}) {
  switch (step.kind) {
    case 'specialty':
      return <SpecialtyScreen onBack={toVisits} onChoose={(specialty) => go({ kind: 'doctor', specialty })} />;
    case 'doctor':
      return (
        <DoctorScreen
          specialty={step.specialty}
          onBack={() => go({ kind: 'specialty' })}
          onChoose={(doctor) => go({ kind: 'day', specialty: step.specialty, doctor })}
        />
      );
    case 'day':
      return (
        <DayScreen
          doctor={step.doctor}
          onBack={() => go({ kind: 'doctor', specialty: step.specialty })}
          onChoose={(day) => go({ kind: 'time', specialty: step.specialty, doctor: step.doctor, day })}
        />
      );
    case 'time':
      return (
        <TimeScreen
          doctor={step.doctor}
          day={step.day}
          onBack={() => go({ kind: 'day', specialty: step.specialty, doctor: step.doctor })}
          onChoose={(slot) =>
            go({
              kind: 'confirm',
              specialty: step.specialty,
              doctor: step.doctor,
              day: step.day,
              time: { slotId: slot.id, date: step.day.date, time: slot.time },
            })
          }
        />
      );
    case 'confirm': {
      const { specialty, doctor, day } = step;
      const toDays = () => go({ kind: 'day', specialty, doctor });
      return (
        <ConfirmScreen
          key={step.time.slotId}
          specialty={specialty}
          doctor={doctor}
          time={step.time}
          onBooked={onBooked}
          onBack={day ? () => go({ kind: 'time', specialty, doctor, day }) : toDays}
          onOtherTime={toDays}
          onNamedTime={(time) => go({ kind: 'confirm', specialty, doctor, day: null, time })}
        />
      );
    }
  }
}
