// SQL for recording an event: one statement, because it runs inside the hot transactions
// (booking, cancelling): the in-portal row, and - only when that row is new - the e-mail
// and one push delivery per subscription, each by the account's preferences.
import { sql } from 'drizzle-orm';
import { queryRows, type Db } from '../../db/index.js';
import type { PushPayload } from './notify.rules.js';

export interface EventRecord {
  accountId: string;
  kind: string;
  dedupKey: string;
  title: string;
  body: string;
  link: string | null;
  email: { dedupKey: string; subject: string; text: string; html: string };
  push: { dedupPrefix: string; payload: PushPayload };
}

/** Returns whether the event was new (false: the same dedup key was recorded before). */
export async function recordEvent(db: Db, e: EventRecord, now: Date): Promise<boolean> {
  const at = now.toISOString();
  const rows = await queryRows<{ fresh: number | string }>(
    db,
    sql`
      with n as (
        insert into notifications (account_id, kind, dedup_key, title, body, link, created_at)
        values (${e.accountId}::uuid, ${e.kind}, ${e.dedupKey}, ${e.title}, ${e.body}, ${e.link}, ${at}::timestamptz)
        on conflict (dedup_key) do nothing
        returning id
      ),
      a as (
        select acc.id, acc.email, coalesce(p.email, true) as wants_email, coalesce(p.push, true) as wants_push
          from accounts acc
          left join notification_preferences p on p.account_id = acc.id
         where acc.id = ${e.accountId}::uuid and exists (select 1 from n)
      ),
      m as (
        insert into outbox (account_id, kind, dedup_key, to_address, subject, text_body, html_body, next_attempt_at, created_at)
        select a.id, ${e.kind}, ${e.email.dedupKey}, a.email, ${e.email.subject}, ${e.email.text}, ${e.email.html},
               ${at}::timestamptz, ${at}::timestamptz
          from a where a.wants_email and a.email is not null
        on conflict (dedup_key) do nothing
        returning id
      ),
      pu as (
        insert into push_outbox (subscription_id, dedup_key, payload, next_attempt_at, created_at)
        select s.id, ${e.push.dedupPrefix} || ':' || s.id, ${JSON.stringify(e.push.payload)}::jsonb,
               ${at}::timestamptz, ${at}::timestamptz
          from push_subscriptions s join a on a.id = s.account_id
         where a.wants_push
        on conflict (dedup_key) do nothing
        returning id
      )
      select (select count(*) from n) as fresh
    `,
  );
  return Number(rows[0]?.fresh ?? 0) > 0;
}
