// A person's name and identity fields: one type for every module that holds people — the card
// file, the clinic register, the desk, the integration push and ЕСИА — and one way to write a
// full name.

export interface PersonName {
  lastName: string;
  firstName: string;
  middleName: string | null;
}

export interface PersonIdentity extends PersonName {
  /** YYYY-MM-DD */
  birthDate: string;
  sex: 'M' | 'F';
  /** 11 digits */
  snils: string;
  /** 16 digits */
  policy: string;
}

/** «Фамилия Имя Отчество», without the parts a person does not have. */
export function fullName(p: PersonName): string {
  return [p.lastName, p.firstName, p.middleName].filter(Boolean).join(' ');
}

/** The identity fields of any row or object that has them (no other column comes along). */
export function personIdentity(p: PersonIdentity): PersonIdentity {
  return {
    lastName: p.lastName,
    firstName: p.firstName,
    middleName: p.middleName,
    birthDate: p.birthDate,
    sex: p.sex,
    snils: p.snils,
    policy: p.policy,
  };
}
