// Demo accounts and card files: the patient with her family, a single adult, staff, people
// waiting for the moderator, and invented people who fill the schedules.
import type { Db } from '../index.js';
import { accounts, persons } from '../schema.js';
import { addDays } from '../../../shared/time.js';
import { snilsWithChecksum } from '../../../shared/validation.js';
import { FILLER_PEOPLE } from './demo-data.js';
import { REGISTER_ACCOUNT_ID } from '../../modules/channels/register.js';
import { found, foundIn } from './found.js';

export const DEMO_PASSWORD = 'Priyom-demo-1';

/** The accounts the README and the browser journeys sign in with (password DEMO_PASSWORD). */
export const DEMO_ACCOUNTS = {
  /** Иванова Анна Сергеевна (confirmed), her son (confirmed, about 7) and her father (pending). */
  patient: 'patient@example.org',
  /** One confirmed adult: Петров Алексей Викторович. */
  single: 'single@example.org',
  moderator: 'moderator@example.org',
  operator: 'operator@example.org',
  /** The registry desk of «Городская поликлиника № 1» (Ижевск). */
  registrar: 'registrar@example.org',
  /** The clinic administrator of the same clinic: its details, doctors and change log. */
  clinicAdmin: 'clinicadmin@example.org',
  /** Волков Андрей Геннадьевич, терапевт of the same clinic, каб. 106. */
  doctor: 'doctor@example.org',
  /** Иванов Андрей Николаевич: the demo patient's husband, whose card file also holds their son. */
  father: 'father@example.org',
  /** Accounts whose people wait for the moderator. */
  pending: ['kuzmina@example.org', 'sitnikov@example.org', 'fedotova@example.org'],
  password: DEMO_PASSWORD,
} as const;

/** Who the demo patient's people are, for tests and journeys. */
export const DEMO_PATIENT = {
  main: { lastName: 'Иванова', firstName: 'Анна', middleName: 'Сергеевна' },
  child: { lastName: 'Иванов', firstName: 'Михаил', middleName: 'Андреевич' },
  parent: { lastName: 'Смирнов', firstName: 'Сергей', middleName: 'Петрович' },
  father: { lastName: 'Иванов', firstName: 'Андрей', middleName: 'Николаевич' },
} as const;

/** СНИЛС and полис of the demo patient's people as the seed assigns them (the ЕСИА stand-in's citizens reuse them). */
export const DEMO_PATIENT_DOCUMENTS = {
  main: { snils: snilsWithChecksum('112345007'), policy: '1851004400000013', birthDate: '1988-06-14' },
  child: { snils: snilsWithChecksum('112345014'), policy: '1851004400000026' },
  parent: { snils: snilsWithChecksum('112345021'), policy: '1851004400000039' },
} as const;

export interface FillerPerson {
  id: string;
  accountId: string;
  birthDate: string;
  sex: string;
}

export interface DemoPeople {
  patientAccountId: string;
  /** Иванова Анна Сергеевна, the patient account's main person. */
  annaId: string;
  /** Anna's and her son's rows in the clinic register (visits made at the registry, by doctors, at the infomat, in the queue). */
  annaRegisterId: string;
  childRegisterId: string;
  /** The father's account and his card file's row of the son (his portal bookings for the boy). */
  fatherAccountId: string;
  childOfFatherId: string;
  fillers: FillerPerson[];
}

/** A birthday spread over the year, a little over `age` full years before `today`. */
function birthDateForAge(today: string, age: number, index: number): string {
  return addDays(today, -(age * 365 + Math.floor(age / 4) + 30 + ((index * 37) % 300)));
}

interface PersonFacts {
  lastName: string;
  firstName: string;
  middleName: string | null;
  birthDate: string;
  sex: 'M' | 'F';
}

export async function seedPeople(
  tx: Db,
  ctx: { now: Date; today: string; passwordHash: string },
  staff: { organisationId: number; doctorId: number },
): Promise<DemoPeople> {
  const { now, today, passwordHash } = ctx;
  const hoursAgo = (h: number) => new Date(now.getTime() - h * 3_600_000);

  const signInEmails = [
    DEMO_ACCOUNTS.patient,
    DEMO_ACCOUNTS.single,
    ...DEMO_ACCOUNTS.pending,
    DEMO_ACCOUNTS.moderator,
    DEMO_ACCOUNTS.operator,
    DEMO_ACCOUNTS.father,
  ];
  const fillerEmails = [1, 2, 3, 4].map((n) => `zapis-${n}@demo.example.org`);
  const roleOf = (email: string) =>
    email === DEMO_ACCOUNTS.moderator ? 'moderator' : email === DEMO_ACCOUNTS.operator ? 'operator' : 'patient';
  const staffRows = [
    { email: DEMO_ACCOUNTS.registrar, role: 'registrar', organisationId: staff.organisationId, doctorId: null },
    { email: DEMO_ACCOUNTS.clinicAdmin, role: 'clinic_admin', organisationId: staff.organisationId, doctorId: null },
    { email: DEMO_ACCOUNTS.doctor, role: 'doctor', organisationId: staff.organisationId, doctorId: staff.doctorId },
  ].map((a) => ({ ...a, passwordHash, emailConfirmedAt: now, createdAt: now }));
  const accountRows = await tx
    .insert(accounts)
    .values([
      ...signInEmails.map((email) => ({
        email,
        passwordHash,
        emailConfirmedAt: now,
        role: roleOf(email),
        createdAt: now,
      })),
      // The filler accounts cannot sign in: no password.
      ...fillerEmails.map((email) => ({
        email,
        passwordHash: null,
        emailConfirmedAt: now,
        role: 'patient',
        createdAt: now,
      })),
      ...staffRows,
    ])
    .returning({ id: accounts.id, email: accounts.email });
  const accountId = new Map(accountRows.map((a) => [a.email, a.id]));
  const id = (email: string) => found(accountId, email, 'account');
  const moderatorId = id(DEMO_ACCOUNTS.moderator);

  let snilsSeq = 0;
  let policySeq = 0;
  const nextSnilsSeq = () => {
    snilsSeq += 7;
    return snilsSeq;
  };
  const nextPolicySeq = () => {
    policySeq += 13;
    return policySeq;
  };
  const person = (
    email: string,
    p: PersonFacts,
    opts: { isMain: boolean; status: 'pending' | 'confirmed'; phone?: string; submittedAt?: Date },
  ): typeof persons.$inferInsert => ({
    accountId: id(email),
    isMain: opts.isMain,
    ...p,
    snils: snilsWithChecksum(String(112_345_000 + nextSnilsSeq())),
    policy: `1851${String(4_400_000_000 + nextPolicySeq()).padStart(12, '0')}`,
    phone: opts.phone ?? null,
    status: opts.status,
    submittedAt: opts.submittedAt ?? now,
    decidedAt: opts.status === 'confirmed' ? now : null,
    decidedBy: opts.status === 'confirmed' ? moderatorId : null,
    createdAt: opts.submittedAt ?? now,
  });

  const [kuzmina, sitnikov, fedotova] = DEMO_ACCOUNTS.pending;
  const named = await tx
    .insert(persons)
    .values([
      person(
        DEMO_ACCOUNTS.patient,
        { ...DEMO_PATIENT.main, birthDate: '1988-06-14', sex: 'F' },
        { isMain: true, status: 'confirmed', phone: '+79120000101' },
      ),
      person(
        DEMO_ACCOUNTS.patient,
        { ...DEMO_PATIENT.child, birthDate: birthDateForAge(today, 7, 3), sex: 'M' },
        { isMain: false, status: 'confirmed' },
      ),
      person(
        DEMO_ACCOUNTS.patient,
        { ...DEMO_PATIENT.parent, birthDate: '1956-02-03', sex: 'M' },
        { isMain: false, status: 'pending', submittedAt: hoursAgo(5) },
      ),
      person(
        DEMO_ACCOUNTS.single,
        { lastName: 'Петров', firstName: 'Алексей', middleName: 'Викторович', birthDate: '1979-09-21', sex: 'M' },
        { isMain: true, status: 'confirmed', phone: '+79120000102' },
      ),
      person(
        kuzmina,
        { lastName: 'Кузьмина', firstName: 'Дарья', middleName: 'Олеговна', birthDate: '1995-03-08', sex: 'F' },
        { isMain: true, status: 'pending', submittedAt: hoursAgo(26) },
      ),
      person(
        sitnikov,
        { lastName: 'Ситников', firstName: 'Артур', middleName: null, birthDate: '2001-12-30', sex: 'M' },
        { isMain: true, status: 'pending', submittedAt: hoursAgo(3) },
      ),
      person(
        fedotova,
        { lastName: 'Федотова', firstName: 'Галина', middleName: 'Ивановна', birthDate: '1970-07-17', sex: 'F' },
        { isMain: true, status: 'confirmed' },
      ),
      person(
        fedotova,
        {
          lastName: 'Федотов',
          firstName: 'Лев',
          middleName: 'Максимович',
          birthDate: birthDateForAge(today, 4, 9),
          sex: 'M',
        },
        { isMain: false, status: 'pending', submittedAt: hoursAgo(1) },
      ),
    ])
    .returning({ id: persons.id, accountId: persons.accountId, isMain: persons.isMain });
  const anna = foundIn(
    named,
    (p) => p.isMain && p.accountId === id(DEMO_ACCOUNTS.patient),
    'main person of the demo patient',
  );
  const childBirthDate = birthDateForAge(today, 7, 3);

  // The son is in his father's card file too (the father books him on the portal himself).
  const fatherRows = await tx
    .insert(persons)
    .values([
      person(
        DEMO_ACCOUNTS.father,
        { ...DEMO_PATIENT.father, birthDate: '1986-01-22', sex: 'M' },
        { isMain: true, status: 'confirmed', phone: '+79120000103' },
      ),
      {
        ...person(
          DEMO_ACCOUNTS.father,
          { ...DEMO_PATIENT.child, birthDate: childBirthDate, sex: 'M' },
          { isMain: false, status: 'confirmed' },
        ),
        snils: DEMO_PATIENT_DOCUMENTS.child.snils,
        policy: DEMO_PATIENT_DOCUMENTS.child.policy,
      },
    ])
    .returning({ id: persons.id, isMain: persons.isMain });

  // The clinic register knows Anna and her son: their visits made outside the portal point here.
  const register = (p: PersonFacts, docs: { snils: string; policy: string }): typeof persons.$inferInsert => ({
    accountId: REGISTER_ACCOUNT_ID,
    isMain: false,
    ...p,
    ...docs,
    phone: null,
    status: 'confirmed',
    submittedAt: now,
    decidedAt: now,
    decidedBy: null,
    createdAt: now,
  });
  const [annaRegister, childRegister] = await tx
    .insert(persons)
    .values([
      register(
        { ...DEMO_PATIENT.main, birthDate: DEMO_PATIENT_DOCUMENTS.main.birthDate, sex: 'F' },
        DEMO_PATIENT_DOCUMENTS.main,
      ),
      register({ ...DEMO_PATIENT.child, birthDate: childBirthDate, sex: 'M' }, DEMO_PATIENT_DOCUMENTS.child),
    ])
    .returning({ id: persons.id });

  const fillers = await tx
    .insert(persons)
    .values(
      FILLER_PEOPLE.map((p, i) =>
        person(
          fillerEmails[i % fillerEmails.length],
          {
            lastName: p.lastName,
            firstName: p.firstName,
            middleName: p.middleName,
            sex: p.sex,
            birthDate: birthDateForAge(today, p.age, i),
          },
          { isMain: i < fillerEmails.length, status: 'confirmed' },
        ),
      ),
    )
    .returning({ id: persons.id, accountId: persons.accountId, birthDate: persons.birthDate, sex: persons.sex });

  return {
    patientAccountId: id(DEMO_ACCOUNTS.patient),
    annaId: anna.id,
    annaRegisterId: annaRegister.id,
    childRegisterId: childRegister.id,
    fatherAccountId: id(DEMO_ACCOUNTS.father),
    childOfFatherId: foundIn(fatherRows, (r) => !r.isMain, "father's child").id,
    fillers,
  };
}
