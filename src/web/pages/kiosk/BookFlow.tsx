// The booking steps of the kiosk, one screen each, with their way back.
import type { DoctorSummary, KioskSpecialty, KioskVisit, ScheduleSlot } from '../../../shared/api.js';
import { ConfirmScreen, DayScreen, DoctorScreen, SpecialtyScreen, TimeScreen, type ScheduleDay } from './BookScreens.js';

export type BookStep =
  | { kind: 'specialty' }
  | { kind: 'doctor'; specialty: KioskSpecialty }
  | { kind: 'day'; specialty: KioskSpecialty; doctor: DoctorSummary }
  | { kind: 'time'; specialty: KioskSpecialty; doctor: DoctorSummary; day: ScheduleDay }
  | { kind: 'confirm'; specialty: KioskSpecialty; doctor: DoctorSummary; day: ScheduleDay; slot: ScheduleSlot };

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
          onChoose={(slot) => go({ kind: 'confirm', specialty: step.specialty, doctor: step.doctor, day: step.day, slot })}
        />
      );
    case 'confirm':
      return (
        <ConfirmScreen
          specialty={step.specialty}
          doctor={step.doctor}
          day={step.day}
          slot={step.slot}
          onBooked={onBooked}
          onBack={() => go({ kind: 'time', specialty: step.specialty, doctor: step.doctor, day: step.day })}
          onOtherTime={() => go({ kind: 'day', specialty: step.specialty, doctor: step.doctor })}
        />
      );
  }
}
