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
 * The CTEs that record the events of the CTE `ev` (n: the in-portal rows; a: each event's
 * account and its preferences; m: the e-mails; pu: the pushes), for a statement that also
 * does something else: a booking writes its appointment, its slot and its notification in
 * one statement, a group of bookings all of theirs. `ev` has one row per event, with the
 * columns account_id, kind, dedup_key, title, body, link, email_dedup_key, subject,
 * text_body, html_body, push_dedup_prefix, push_payload (jsonb) and at. Only an event whose
 * in-portal row is new gets its e-mail and pushes. Ends without a comma.
 */
export function eventRecordsCtes(): SQL {
  return sql`
      n as (
        insert into notifications (account_id, kind, dedup_key, title, body, link, created_at)
        select account_id, kind, dedup_key, title, body, link, at from ev
        on conflict (dedup_key) do nothing
        returning dedup_key
      ),
      a as (
        select ev.*, acc.email as to_address, coalesce(p.email, true) as wants_email, coalesce(p.push, true) as wants_push
          from ev
          join n on n.dedup_key = ev.dedup_key
          join accounts acc on acc.id = ev.account_id
          left join notification_preferences p on p.account_id = acc.id
      ),
      m as (
        insert into outbox (account_id, kind, dedup_key, to_address, subject, text_body, html_body, next_attempt_at, created_at)
        select account_id, kind, email_dedup_key, to_address, subject, text_body, html_body, at, at
          from a where wants_email and to_address is not null
        on conflict (dedup_key) do nothing
        returning id
      ),
      pu as (
        insert into push_outbox (subscription_id, dedup_key, payload, next_attempt_at, created_at)
        select s.id, a.push_dedup_prefix || ':' || s.id, a.push_payload, a.at, a.at
          from push_subscriptions s join a on a.account_id = s.account_id
         where a.wants_push
        on conflict (dedup_key) do nothing
        returning id
      )`;
}

/** eventRecordsCtes for one event given as values: `ev` and the CTEs that record it. Ends without a comma. */
export function eventRecordCtes(e: EventRecordSql): SQL {
  return sql`
      ev as (
        select ${e.accountId}::uuid as account_id, ${e.kind}::text as kind, ${e.dedupKey}::text as dedup_key,
               ${e.title}::text as title, ${e.body}::text as body, ${e.link}::text as link,
               ${e.emailDedupKey}::text as email_dedup_key, ${e.subject}::text as subject,
               ${e.text}::text as text_body, ${e.html}::text as html_body,
               ${e.pushDedupPrefix}::text as push_dedup_prefix, ${e.pushPayload}::jsonb as push_payload,
               ${e.at}::timestamptz as at
         where ${e.onlyIf ?? sql`true`}
      ),
      ${eventRecordsCtes()}`;
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
