// Words about a person that agree with the person's sex: «записан / записана», «пришёл /
// пришла», «подтверждён / подтверждена». Where the sex is not known to the page, a form that
// does not depend on it. Pure; shared by the web pages and the server's notices.

export type Sex = 'M' | 'F';

/** The masculine or feminine form by the person's sex, or the neutral one when the sex is not known. */
export function bySex(sex: Sex | null | undefined, forms: { M: string; F: string; neutral: string }): string {
  return sex === 'M' ? forms.M : sex === 'F' ? forms.F : forms.neutral;
}

export type VisitStatus = 'booked' | 'cancelled' | 'visited' | 'no_show';

const VISIT_STATUS: Record<VisitStatus, { M: string; F: string; neutral: string }> = {
  booked: { M: 'Записан', F: 'Записана', neutral: 'Запись действует' },
  // These speak of the visit (the record), not of the person.
  cancelled: { M: 'Отменена', F: 'Отменена', neutral: 'Отменена' },
  visited: { M: 'Визит состоялся', F: 'Визит состоялся', neutral: 'Визит состоялся' },
  no_show: { M: 'Не пришёл', F: 'Не пришла', neutral: 'Неявка' },
};

/** A visit's status as a short tag, agreeing with the patient's sex: «Записана», «Не пришёл». */
export function visitStatusWord(status: VisitStatus, sex: Sex | null | undefined): string {
  return bySex(sex, VISIT_STATUS[status]);
}

export type PersonStatus = 'pending' | 'confirmed' | 'rejected';

const PERSON_STATUS: Record<PersonStatus, { M: string; F: string; neutral: string }> = {
  pending: { M: 'На проверке', F: 'На проверке', neutral: 'На проверке' },
  confirmed: { M: 'Подтверждён', F: 'Подтверждена', neutral: 'Данные подтверждены' },
  rejected: { M: 'Отклонён', F: 'Отклонена', neutral: 'Данные отклонены' },
};

/** A card-file person's status after moderation: «Подтверждена», «Отклонён». */
export function personStatusWord(status: PersonStatus, sex: Sex | null | undefined): string {
  return bySex(sex, PERSON_STATUS[status]);
}

/** «для него» / «для неё»: booking is available for that person. */
export function forThem(sex: Sex | null | undefined): string {
  return bySex(sex, { M: 'для него', F: 'для неё', neutral: 'для этого человека' });
}
