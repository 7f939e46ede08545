// Pure rules of the infomat (kiosk mode): how long things last, how many identification
// attempts are allowed, what the patient is called on screen and why a visit cannot be
// cancelled at the kiosk. No I/O, no clock: callers pass `now`.

/** The device cookie lives about a year (browsers cap cookies at 400 days); the registry switches it off sooner. */
export const KIOSK_DEVICE_DAYS = 365;
/** A patient's identification on a kiosk lasts this long; the page also forgets it after a minute without a touch. */
export const KIOSK_PATIENT_TTL_MS = 10 * 60_000;
/** lastSeenAt is written at most this often per device. */
export const KIOSK_SEEN_EVERY_MS = 60_000;

export interface AttemptLimit {
  max: number;
  windowMs: number;
}

/** Identification attempts per device (successful or not): a person needs one or two. */
export const KIOSK_DEVICE_ATTEMPTS: AttemptLimit = { max: 10, windowMs: 60_000 };
/** Failed attempts per полис (whether or not that полис exists): guessing a date of birth stops here. */
export const KIOSK_POLICY_FAILURES: AttemptLimit = { max: 5, windowMs: 15 * 60_000 };

/** The attempts of a sliding window still inside it at `nowMs` (oldest first). */
export function attemptsInWindow(times: readonly number[], nowMs: number, windowMs: number): number[] {
  return times.filter((t) => t > nowMs - windowMs && t <= nowMs);
}

/** Whether one more attempt is allowed now. */
export function attemptAllowed(times: readonly number[], nowMs: number, limit: AttemptLimit): boolean {
  return attemptsInWindow(times, nowMs, limit.windowMs).length < limit.max;
}

/** «Анна Сергеевна»: the greeting on a public screen carries no surname. */
export function kioskGreeting(p: { firstName: string; middleName: string | null }): string {
  return p.middleName ? `${p.firstName} ${p.middleName}` : p.firstName;
}

export const PORTAL_CANCEL_NOTE = 'Эту запись можно отменить в личном кабинете на портале.';

/**
 * The Russian note shown instead of «Отменить» on a visit the kiosk cannot cancel; null when it
 * can. A portal booking is cancelled in the personal account, but only until its cancel time
 * (`cancelUntil`, the cut-off the day before): after it, as the guide says, the registry has
 * made its lists and only a phone call to the registry is left.
 */
export function kioskCancelNote(
  v: {
    cancellable: boolean;
    status: 'booked' | 'cancelled' | 'visited' | 'no_show';
    source: 'portal' | 'electronic_queue' | 'doctor' | 'registry' | 'infomat';
    organisation: { phone: string };
    cancelUntil: string;
  },
  now: Date,
): string | null {
  if (v.cancellable || v.status !== 'booked') return null;
  const cutoffPassed = now.getTime() >= new Date(v.cancelUntil).getTime();
  if (v.source === 'portal' && !cutoffPassed) return PORTAL_CANCEL_NOTE;
  return `Отменить эту запись ${v.source === 'portal' ? 'через портал' : 'на инфомате'} уже нельзя: регистратура подготовила списки пациентов на этот день. Позвоните в регистратуру: ${v.organisation.phone}.`;
}

/** Whether a 'YYYY-MM-DD' date of birth is after the local `today`. */
export function birthDateInFuture(birthDate: string, today: string): boolean {
  return birthDate > today;
}

export interface UpcomingVisit {
  startAt: string;
  endAt: string;
  specialty: string;
}

/**
 * Whether booking a slot would give the patient two visits at once or one too many of a
 * specialty, counted over every visit of the same real person the kiosk sees (the portal's
 * card-file row and the clinic register's row alike). Null when neither.
 */
export function kioskBookingRefusal(
  slot: { startAt: Date; endAt: Date; specialty: string },
  upcoming: readonly UpcomingVisit[],
  maxPerSpecialty: number,
): 'OVERLAPPING_APPOINTMENT' | 'SPECIALTY_LIMIT_REACHED' | null {
  const start = slot.startAt.getTime();
  const end = slot.endAt.getTime();
  if (upcoming.some((v) => new Date(v.startAt).getTime() < end && new Date(v.endAt).getTime() > start))
    return 'OVERLAPPING_APPOINTMENT';
  if (upcoming.filter((v) => v.specialty === slot.specialty).length >= maxPerSpecialty)
    return 'SPECIALTY_LIMIT_REACHED';
  return null;
}
