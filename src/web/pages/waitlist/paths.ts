// Addresses of the waitlist pages. Only ids go into them, never personal data.

/** «Встать в очередь» for a doctor, optionally with the person already chosen. */
export function joinPath(doctorId: number | string, personId?: string | null): string {
  const q = new URLSearchParams({ doctor: String(doctorId) });
  if (personId) q.set('person', personId);
  return `/waitlist/join?${q.toString()}`;
}

/** «Выберите тип записи в очередь» for a doctor and a person. */
export function kindPath(doctorId: number | string, personId: string): string {
  return `/waitlist/join/kind?${new URLSearchParams({ doctor: String(doctorId), person: personId }).toString()}`;
}

export function joinedPath(entryId: string): string {
  return `/waitlist/joined/${encodeURIComponent(entryId)}`;
}

export function offerPath(offerId: string): string {
  return `/offers/${encodeURIComponent(offerId)}`;
}

const uuidRe = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** A query or path value, checked to be a uuid. */
export function uuidOrNull(v: string | null | undefined): string | null {
  return v && uuidRe.test(v) ? v : null;
}

/** A query or path value, checked to be a positive integer id. */
export function intOrNull(v: string | null | undefined): string | null {
  return v && /^[1-9]\d{0,9}$/.test(v) ? v : null;
}
