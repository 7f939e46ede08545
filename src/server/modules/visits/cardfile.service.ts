// The card file (SPEC section 6): the account's people, each with the visits booking shows
// them and the waitlist entries they hold. The visits module stands above booking and the
// waitlist: it alone reads both for one page.
import type { CardFilePerson } from '../../../shared/api/index.js';
import type { AppContext } from '../../context.js';
import { type Actor, visitsByPerson } from '../booking/appointments.service.js';
import { toPersonDto } from '../identity/persons.service.js';
import { referralsOfPeople, toReferralView } from '../referrals/referrals.service.js';
import { localDateOf } from '../../../shared/time.js';
import { waitlistByPerson } from '../waitlist/waitlist.service.js';

/**
 * The card file: the account's people, main person first, each with visible future visits
 * (booked, not started, soonest first) and past ones (everything else, newest first, at
 * most 20), and the active waitlist entries. A fixed number of queries, whatever the number
 * of people.
 */
export async function getCardFile(ctx: AppContext, actor: Actor): Promise<CardFilePerson[]> {
  const [{ people, visits }, waitlist] = await Promise.all([
    visitsByPerson(ctx, actor),
    waitlistByPerson(ctx.db, actor.accountId),
  ]);
  // A referral belongs to the real person: shown for a confirmed person only, whose СНИЛС was checked.
  const confirmed = people.filter((p) => p.status === 'confirmed');
  const referralRows = await referralsOfPeople(
    ctx.db,
    confirmed.map((p) => p.snils),
  );
  const now = ctx.now();
  return people.map((p) => {
    const bucket = visits.get(p.id) ?? { future: [], past: [] };
    return {
      ...toPersonDto(p),
      futureVisits: bucket.future,
      pastVisits: bucket.past,
      // Active waitlist entries of this person made by this account, with a pending offer.
      waitlist: waitlist.get(p.id) ?? [],
      referrals:
        p.status === 'confirmed'
          ? referralRows
              .filter((r) => r.snils === p.snils)
              .map((r) => toReferralView(r, localDateOf(now, r.issuedByOrganisationTimeZone)))
          : [],
    };
  });
}
