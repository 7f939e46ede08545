// The stand-in's test citizens (all invented). The trusted adult is the demo patient
// Иванова Анна Сергеевна with the СНИЛС the demo seed gives her, so that signing in
// through the stand-in finds her e-mail account (patient@example.org) and links it.
import { addDays, localDateOf } from '../../shared/time.js';
import { formatSnils, snilsWithChecksum } from '../../shared/validation.js';
import { DEMO_PATIENT, DEMO_PATIENT_DOCUMENTS } from '../db/seed/demo-people.js';

export interface StandinKid {
  id: string;
  lastName: string;
  firstName: string;
  middleName: string | null;
  /** YYYY-MM-DD */
  birthDate: (today: string) => string;
  gender: 'M' | 'F';
  snils: string | null;
  /** The Russian birth certificate (RF_BRTH_CERT) as ЕСИА gives it. */
  birthCert: { series: string; number: string; issueDate: string } | null;
  /** The полис ОМС (MDCL_PLCY), 16 digits. */
  policy: string | null;
}

export interface StandinCitizen {
  oid: string;
  /** What the consent page says about this test account. */
  description: string;
  lastName: string;
  firstName: string;
  middleName: string | null;
  /** YYYY-MM-DD */
  birthDate: string;
  gender: 'M' | 'F';
  /** As ЕСИА shows it: "123-456-789 01", digits, or absent. */
  snils: string | null;
  trusted: boolean;
  status: 'Registered' | 'Deleted';
  email: string | null;
  mobile: string | null;
  kids: StandinKid[];
}

export const STANDIN_CITIZENS: readonly StandinCitizen[] = [
  {
    oid: '1000321001',
    description: 'подтверждённая учётная запись, двое детей (демо-пациент patient@example.org)',
    ...DEMO_PATIENT.main,
    birthDate: DEMO_PATIENT_DOCUMENTS.main.birthDate,
    gender: 'F',
    snils: formatSnils(DEMO_PATIENT_DOCUMENTS.main.snils),
    trusted: true,
    status: 'Registered',
    email: 'patient@example.org',
    mobile: '+7(912)0000101',
    kids: [
      {
        id: '1000321101',
        ...DEMO_PATIENT.child,
        // The demo seed makes the son about seven: the same rule as its birthDateForAge(today, 7, 3).
        birthDate: (today) => addDays(today, -(7 * 365 + 1 + 30 + 111)),
        gender: 'M',
        snils: DEMO_PATIENT_DOCUMENTS.child.snils,
        birthCert: { series: 'III-НИ', number: '604215', issueDate: '01.09.2019' },
        policy: DEMO_PATIENT_DOCUMENTS.child.policy,
      },
      {
        id: '1000321102',
        lastName: 'Иванова',
        firstName: 'Софья',
        middleName: 'Андреевна',
        birthDate: () => '2022-04-09',
        gender: 'F',
        snils: snilsWithChecksum('150000104'),
        birthCert: { series: 'IV-НИ', number: '718342', issueDate: '20.04.2022' },
        policy: '1851004400900017',
      },
    ],
  },
  {
    oid: '1000321002',
    description: 'неподтверждённая учётная запись (стандартная)',
    lastName: 'Кузнецов',
    firstName: 'Пётр',
    middleName: 'Ильич',
    birthDate: '1990-03-15',
    gender: 'M',
    snils: snilsWithChecksum('150000012'),
    trusted: false,
    status: 'Registered',
    email: 'p.kuznetsov@example.org',
    mobile: null,
    kids: [],
  },
  {
    oid: '1000321003',
    description: 'удалённая учётная запись',
    lastName: 'Орлова',
    firstName: 'Вера',
    middleName: 'Николаевна',
    birthDate: '1975-11-02',
    gender: 'F',
    snils: snilsWithChecksum('150000029'),
    trusted: true,
    status: 'Deleted',
    email: null,
    mobile: null,
    kids: [],
  },
  {
    oid: '1000321004',
    description: 'подтверждённая учётная запись, фамилия с «ё» и дефисом',
    lastName: 'Семёнова-Ёлкина',
    firstName: 'Алёна',
    middleName: 'Фёдоровна',
    birthDate: '1993-08-30',
    gender: 'F',
    snils: formatSnils(snilsWithChecksum('150000036')),
    trusted: true,
    status: 'Registered',
    email: 'alena.semyonova@example.org',
    mobile: '+7(912)0000104',
    kids: [],
  },
  {
    oid: '1000321005',
    description: 'подтверждённая учётная запись без СНИЛС',
    lastName: 'Григорьев',
    firstName: 'Тимур',
    middleName: 'Рашидович',
    birthDate: '1984-01-19',
    gender: 'M',
    snils: null,
    trusted: true,
    status: 'Registered',
    email: null,
    mobile: null,
    kids: [],
  },
];

/** Names of the test citizens, for tests: `STANDIN.anna.oid`. */
export const STANDIN = {
  anna: STANDIN_CITIZENS[0],
  untrusted: STANDIN_CITIZENS[1],
  deleted: STANDIN_CITIZENS[2],
  yo: STANDIN_CITIZENS[3],
  noSnils: STANDIN_CITIZENS[4],
} as const;

/** DD.MM.YYYY, as ЕСИА writes dates. */
export function esiaDate(iso: string): string {
  return `${iso.slice(8, 10)}.${iso.slice(5, 7)}.${iso.slice(0, 4)}`;
}

export function todayOf(now: Date): string {
  return localDateOf(now, 'Europe/Samara');
}
