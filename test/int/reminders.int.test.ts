// The reminder the day before a visit, through the worker step: due from 12:00 local the
// day before, once per visit, only for booked portal appointments, on every channel the
// account keeps on. The clock starts at 2026-11-25 09:00 UTC = 13:00 in Europe/Samara.
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { notifications } from '../../src/server/db/schema.js';
import { sendDueReminders } from '../../src/server/modules/visits/reminders.service.js';
import type { NotificationItem } from '../../src/shared/api/index.js';
import { createAppointmentRow, createBookableSetup } from '../factories/catalogue.js';
import { createTestContext, type TestContext } from '../support/context.js';
import { book, browserPushKeys, emailsOf, patient, pushRowsOf, vapidEnv } from './notify.helpers.js';

const START = '2026-11-25T09:00:00Z';

let t: TestContext;
beforeAll(async () => {
  t = await createTestContext({ now: START, env: vapidEnv() });
});
afterAll(async () => t.close());

async function reminders() {
  return t.ctx.db.select().from(notifications).where(eq(notifications.kind, 'visit_reminder'));
}

describe('the reminder the day before a visit', () => {
  it('goes out once from 12:00 local the day before, to booked portal visits only', async () => {
    // The visit: 10:00 Samara on Friday 27 November (06:00 UTC), booked on the 25th.
    const p = await patient(t);
    const keys = browserPushKeys();
    await p.client.post('/api/push/subscriptions', {
      endpoint: 'https://push.example.test/send/r1',
      keys: { p256dh: keys.p256dh, auth: keys.auth },
    });
    const { appointment } = await book(t, p);

    // Another visit at the same hour that was cancelled, and one recorded by the registry.
    const other = await patient(t);
    const { appointment: cancelled } = await book(t, other);
    expect((await other.client.post(`/api/appointments/${cancelled.id}/cancel`)).status).toBe(200);
    const registrySetup = await createBookableSetup(t.ctx);
    const third = await patient(t);
    await createAppointmentRow(t.ctx, registrySetup.slots[2], third.personId, { source: 'registry' });

    expect(await sendDueReminders(t.ctx)).toBe(0);
    t.clock.set('2026-11-26T07:59:00Z'); // 11:59 Samara on the 26th
    expect(await sendDueReminders(t.ctx)).toBe(0);

    t.clock.set('2026-11-26T08:00:00Z'); // 12:00 Samara on the 26th: the window opens
    expect(await sendDueReminders(t.ctx)).toBe(1);
    expect(await sendDueReminders(t.ctx)).toBe(0);
    t.clock.set('2026-11-26T17:00:00Z');
    expect(await sendDueReminders(t.ctx)).toBe(0);

    const sent = await reminders();
    expect(sent).toHaveLength(1);
    expect(sent[0]).toMatchObject({
      accountId: p.accountId,
      dedupKey: `visit_reminder:${appointment.id}`,
      title: 'Напоминание о приёме у врача',
      link: `/appointments/${appointment.id}`,
    });
    expect(sent[0].createdAt.toISOString()).toBe('2026-11-26T08:00:00.000Z');

    // In the list, in the e-mail outbox, and one push for the subscribed browser.
    const list = await p.client.get<{ items: NotificationItem[]; unreadCount: number }>('/api/notifications');
    expect(list.body.items[0]).toMatchObject({ kind: 'visit_reminder', read: false });
    expect(list.body.items[0].body).toContain('Пятница, 27 ноября 2026 г., 10:00 (местное время). Кабинет');
    const mail = (await emailsOf(t, p.accountId)).filter((m) => m.kind === 'visit_reminder');
    expect(mail).toHaveLength(1);
    expect(mail[0].subject).toBe('Напоминание о записи на приём');
    expect(mail[0].textBody).toContain(`http://portal.test/appointments/${appointment.id}`);
    // Sent at 12:00 the day before, still before the 18:00 cut-off: cancelling online is offered.
    expect(mail[0].textBody).toContain(
      'отмените запись в разделе «Моя картотека» до четверга, 26 ноября 2026 г., 18:00',
    );
    const pushes = (await pushRowsOf(t, p.accountId)).filter((r) => r.dedupKey.startsWith('push:visit_reminder:'));
    expect(pushes).toHaveLength(1);
    expect(pushes[0].payload).toEqual({
      title: 'Напоминание о приёме у врача',
      body: 'Пятница, 27 ноября 2026 г., 10:00 (местное время). Подробности — на портале.',
      url: `/appointments/${appointment.id}`,
    });

    // Nobody else was reminded.
    expect((await emailsOf(t, other.accountId)).filter((m) => m.kind === 'visit_reminder')).toHaveLength(0);
    expect((await emailsOf(t, third.accountId)).filter((m) => m.kind === 'visit_reminder')).toHaveLength(0);
  });

  it('skips a visit booked after the window opened, and one that has started', async () => {
    t.clock.set('2026-11-27T09:00:00Z'); // 13:00 Samara on the 27th
    const before = (await reminders()).length;
    const p = await patient(t);
    // Slot 0: 10:00 Samara on the 28th; booked at 13:00 on the 27th, after the window opened at 12:00.
    await book(t, p, { slot: 0 });
    expect(await sendDueReminders(t.ctx)).toBe(0);
    t.clock.set('2026-11-28T05:59:00Z');
    expect(await sendDueReminders(t.ctx)).toBe(0);
    expect((await reminders()).length).toBe(before);
  });

  it('catches up after the worker was down, until the visit starts', async () => {
    t.clock.set('2026-11-30T09:00:00Z'); // 13:00 Samara on Monday 30 November
    const p = await patient(t);
    const { appointment } = await book(t, p, { slot: 2 }); // 10:00 Samara on 2 December
    // The worker was down all of 1 December; it comes back at 09:30 Samara on the 2nd.
    t.clock.set('2026-12-02T05:30:00Z');
    expect(await sendDueReminders(t.ctx)).toBe(1);
    const mail = (await emailsOf(t, p.accountId)).filter((m) => m.kind === 'visit_reminder');
    expect(mail).toHaveLength(1);
    // The cut-off has passed: the reminder gives the registry's phone instead.
    expect(mail[0].textBody).toContain('позвоните в регистратуру по телефону');
    expect((await reminders()).filter((r) => r.dedupKey === `visit_reminder:${appointment.id}`)).toHaveLength(1);
  });
});
