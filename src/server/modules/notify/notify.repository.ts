// SQL for recording an event: one statement, because it runs inside the hot transactions
// (booking, cancelling): the in-portal row, and - only when that row is new - the e-mail
// and one push delivery per subscription, each by the account's preferences.
import { sql, type SQL } from 'drizzle-orm';
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

/** The values of an event record as SQL: parameters (recordEvent) or placeholders (a prepared statement). */
export interface EventRecordSql {
  accountId: SQL;
  kind: SQL;
  dedupKey: SQL;
  title: SQL;
  body: SQL;
  link: SQL;
  emailDedupKey: SQL;
  subject: SQL;
  text: SQL;
  html: SQL;
  pushDedupPrefix: SQL;
  pushPayload: SQL;
  at: SQL;
  /** Record the event only when this holds (e.g. the booking's insert in the same statement happened). */
  onlyIf?: SQL;
}

/**
 * The CTEs that record an event (n: the in-portal row; a: the account's preferences; m: the
 * e-mail; pu: the pushes), for a statement that also does something else: a booking writes
 * its appointment, its slot and its notification in one statement. Ends without a comma.
 */
export function eventRecordCtes(e: EventRecordSql): SQL {
  return sql`
      n as (
        insert into notifications (account_id, kind, dedup_key, title, body, link, created_at)
        select ${e.accountId}::uuid, ${e.kind}, ${e.dedupKey}, ${e.title}, ${e.body}, ${e.link}, ${e.at}::timestamptz
         where ${e.onlyIf ?? sql`true`}
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
        select a.id, ${e.kind}, ${e.emailDedupKey}, a.email, ${e.subject}, ${e.text}, ${e.html},
               ${e.at}::timestamptz, ${e.at}::timestamptz
          from a where a.wants_email and a.email is not null
        on conflict (dedup_key) do nothing
        returning id
      ),
      pu as (
        insert into push_outbox (subscription_id, dedup_key, payload, next_attempt_at, created_at)
        select s.id, ${e.pushDedupPrefix} || ':' || s.id, ${e.pushPayload}::jsonb,
               ${e.at}::timestamptz, ${e.at}::timestamptz
          from push_subscriptions s join a on a.id = s.account_id
         where a.wants_push
        on conflict (dedup_key) do nothing
        returning id
      )`;
}

/** Returns whether the event was new (false: the same dedup key was recorded before). */
export async function recordEvent(db: Db, e: EventRecord, now: Date): Promise<boolean> {
  const at = now.toISOString();
  const rows = await queryRows<{ fresh: number | string }>(
    db,
    sql`
      with ${eventRecordCtes({
        accountId: sql`${e.accountId}`,
        kind: sql`${e.kind}`,
        dedupKey: sql`${e.dedupKey}`,
        title: sql`${e.title}`,
        body: sql`${e.body}`,
        link: sql`${e.link}`,
        emailDedupKey: sql`${e.email.dedupKey}`,
        subject: sql`${e.email.subject}`,
        text: sql`${e.email.text}`,
        html: sql`${e.email.html}`,
        pushDedupPrefix: sql`${e.push.dedupPrefix}`,
        pushPayload: sql`${JSON.stringify(e.push.payload)}`,
        at: sql`${at}`,
      })}
      select (select count(*) from n) as fresh
    `,
  );
  return Number(rows[0]?.fresh ?? 0) > 0;
}
