// A visit's page from a visit row of the card file: the patient's full name and the documents
// to bring, by the patient's age on the visit day. The server answers GET /api/appointments/:id
// with it, and the visit page builds the same from the card file the service worker kept when
// the phone is offline (issue 20), so both show the same list.
import type { AppointmentDetail, Visit } from './api/index.js';
import { fullName, type PersonName } from './person.js';
import { ageOn } from './time.js';

/** The documents to bring, by the patient's age in full years on the visit day. */
export function whatToBring(ageYears: number): string[] {
  const common = ['Направление, если оно есть', 'Результаты предыдущих обследований, если они есть'];
  if (ageYears < 18) {
    return [
      'Свидетельство о рождении ребёнка или его паспорт (с 14 лет)',
      'Паспорт родителя или законного представителя',
      'Полис ОМС ребёнка',
      'СНИЛС ребёнка',
      ...common,
    ];
  }
  return ['Паспорт', 'Полис ОМС', 'СНИЛС', ...common];
}

/** A person as the visit page names them: the name, and the birth date for the documents. */
export interface VisitPerson extends PersonName {
  id: string;
  /** YYYY-MM-DD */
  birthDate: string;
}

/** The visit page's answer for `visit` of `person` (its local start's date is the visit day). */
export function visitDetail(visit: Visit, person: VisitPerson): AppointmentDetail {
  const age = ageOn(person.birthDate, visit.localStart.slice(0, 10));
  return { ...visit, person: { id: person.id, name: fullName(person) }, whatToBring: whatToBring(age) };
}
