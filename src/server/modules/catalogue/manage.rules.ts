// Pure rules of the catalogue's management: what changed between a row and an edit (the
// audit log's before/after), and the Russian message refusing to make a doctor inactive.

export type FieldChanges = Record<string, { from: unknown; to: unknown }>;

/** The fields of `next` whose value differs from `current`, as { from, to }. */
export function changedFields<T extends object>(current: T, next: Partial<T>): FieldChanges {
  const changes: FieldChanges = {};
  for (const key of Object.keys(next) as (keyof T & string)[]) {
    const to = next[key];
    if (to === undefined) continue;
    if (current[key] !== to) changes[key] = { from: current[key], to };
  }
  return changes;
}

/** Every field of a new row, as a change from nothing. */
export function createdFields(values: Record<string, unknown>): FieldChanges {
  const changes: FieldChanges = {};
  for (const [key, to] of Object.entries(values)) changes[key] = { from: null, to };
  return changes;
}

/** The Russian plural form for `n`: one (1, 21), few (2-4, 22-24), many (0, 5-20, 25...). */
export function pluralRu(n: number, forms: readonly [one: string, few: string, many: string]): string {
  const mod10 = n % 10;
  const mod100 = n % 100;
  if (mod10 === 1 && mod100 !== 11) return forms[0];
  if (mod10 >= 2 && mod10 <= 4 && (mod100 < 12 || mod100 > 14)) return forms[1];
  return forms[2];
}

/** Why a doctor with future visits cannot be made inactive, naming how many. */
export function futureVisitsMessage(n: number): string {
  return (
    `У врача ${n} ${pluralRu(n, ['будущая запись', 'будущие записи', 'будущих записей'])} пациентов. ` +
    'Перенесите или отмените их, затем сделайте врача неактивным.'
  );
}

/** Why a doctor whose times are held (waitlist offers, patients confirming) cannot be made inactive yet. */
export function heldTimesMessage(n: number): string {
  return (
    `Часть времени врача (${n} ${pluralRu(n, ['приём', 'приёма', 'приёмов'])}) сейчас предложена пациентам из очереди ` +
    'или закреплена за пациентами, которые записываются. Дождитесь ответа или закройте приём врача на эти дни ' +
    '(предложения из очереди будут отозваны), затем сделайте врача неактивным.'
  );
}
