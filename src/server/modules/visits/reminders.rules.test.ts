import { describe, expect, it } from 'vitest';
import { pushPayloadOf, renderEventEmail } from '../notify/notify.rules.js';
import { isReminderDue, reminderWindow, visitReminderEvent, type ReminderFacts } from './reminders.rules.js';

const SAMARA = 'Europe/Samara'; // UTC+4, no DST
const BERLIN = 'Europe/Berlin'; // DST from 29 March 2026, 02:00 local

describe('reminderWindow', () => {
  it.each([
    // visit 10:00 Samara on the 27th -> from 12:00 Samara on the 26th
    ['2026-11-27T06:00:00Z', SAMARA, '2026-11-26T08:00:00.000Z'],
    // visit 00:30 Samara on the 27th (20:30 UTC on the 26th) -> still 12:00 Samara on the 26th
    ['2026-11-26T20:30:00Z', SAMARA, '2026-11-26T08:00:00.000Z'],
    // visit 23:30 Samara on the 27th -> 12:00 on the 26th, 35.5 hours before
    ['2026-11-27T19:30:00Z', SAMARA, '2026-11-26T08:00:00.000Z'],
    // visit 09:00 Berlin on 30 March (CEST, +2); the day before is the DST day: 12:00 CEST = 10:00 UTC
    ['2026-03-30T07:00:00Z', BERLIN, '2026-03-29T10:00:00.000Z'],
    // visit 09:00 Berlin on 29 March (CEST); the day before is still CET (+1): 12:00 CET = 11:00 UTC
    ['2026-03-29T07:00:00Z', BERLIN, '2026-03-28T11:00:00.000Z'],
  ])('a visit at %s in %s: from %s until the visit', (start, zone, from) => {
    const w = reminderWindow(new Date(start), zone);
    expect(w.from.toISOString()).toBe(from);
    expect(w.until.toISOString()).toBe(new Date(start).toISOString());
  });
});

describe('isReminderDue', () => {
  const startAt = new Date('2026-11-27T06:00:00Z'); // 10:00 Samara on the 27th
  const bookedEarly = new Date('2026-11-20T09:00:00Z');
  it.each([
    ['the morning before, 11:59 local', bookedEarly, '2026-11-26T07:59:00Z', false],
    ['the day before at 12:00 local', bookedEarly, '2026-11-26T08:00:00Z', true],
    ['the evening before', bookedEarly, '2026-11-26T17:00:00Z', true],
    ['the visit day, a minute before (worker was down)', bookedEarly, '2026-11-27T05:59:00Z', true],
    ['when the visit starts', bookedEarly, '2026-11-27T06:00:00Z', false],
    ['after the visit', bookedEarly, '2026-11-27T08:00:00Z', false],
    ['two days before', bookedEarly, '2026-11-25T08:00:00Z', false],
    ['booked a minute before the window opened', new Date('2026-11-26T07:59:00Z'), '2026-11-26T08:00:00Z', true],
    [
      'booked after the window opened: the confirmation said it all',
      new Date('2026-11-26T09:00:00Z'),
      '2026-11-26T10:00:00Z',
      false,
    ],
  ])('%s', (_label, createdAt, now, due) => {
    expect(isReminderDue({ startAt, createdAt, timeZone: SAMARA }, new Date(now))).toBe(due);
  });
});

describe('visitReminderEvent', () => {
  const facts: ReminderFacts = {
    appointmentId: '11111111-2222-4333-8444-555555555555',
    accountId: 'acc-1',
    reference: 'ПР-ABCD2345',
    personName: 'Сидорова Анна Павловна',
    startAt: new Date('2026-11-27T06:00:00Z'),
    timeZone: SAMARA,
    doctorName: 'Петров Сергей Иванович',
    specialty: 'Офтальмолог',
    room: '214',
    organisationName: 'Городская поликлиника № 1',
    address: 'Ижевск, ул. Ленина, 1',
    phone: '+7 3412 00-00-00',
    cancelUntil: new Date('2026-11-26T14:00:00Z'), // 18:00 Samara on the 26th
  };

  it('is one event per visit, linked to the visit', () => {
    const e = visitReminderEvent(facts, new Date('2026-11-26T08:00:00Z'));
    expect(e).toMatchObject({
      accountId: 'acc-1',
      kind: 'visit_reminder',
      dedupKey: `visit_reminder:${facts.appointmentId}`,
      link: `/appointments/${facts.appointmentId}`,
    });
    expect(e.body).toBe(
      'Пятница, 27 ноября 2026 г., 10:00 (местное время). Кабинет 214, Городская поликлиника № 1, Ижевск, ул. Ленина, 1.',
    );
  });

  it('keeps the person, the doctor and the specialty off the push payload and the subject', () => {
    const e = visitReminderEvent(facts, new Date('2026-11-26T08:00:00Z'));
    const payload = pushPayloadOf(e);
    expect(payload).toEqual({
      title: 'Напоминание о приёме у врача',
      body: 'Пятница, 27 ноября 2026 г., 10:00 (местное время). Подробности — на портале.',
      url: `/appointments/${facts.appointmentId}`,
    });
    const mail = renderEventEmail(e, 'http://portal.test');
    for (const secret of ['Сидорова', 'Анна', 'Офтальмолог', 'Петров']) {
      expect(JSON.stringify(payload)).not.toContain(secret);
      expect(mail.subject).not.toContain(secret);
      expect(e.title).not.toContain(secret);
      expect(e.body).not.toContain(secret);
    }
    // The e-mail body has the details the booking e-mail had, and the link.
    expect(mail.text).toContain('Пациент: Сидорова Анна Павловна');
    expect(mail.text).toContain('Врач: Петров Сергей Иванович, Офтальмолог');
    expect(mail.text).toContain(`http://portal.test/appointments/${facts.appointmentId}`);
  });

  it('says until when the visit can be cancelled online, or to call once the cut-off has passed', () => {
    const before = renderEventEmail(visitReminderEvent(facts, new Date('2026-11-26T08:00:00Z')), 'http://portal.test');
    expect(before.text).toContain('отмените запись в разделе «Моя картотека» до четверга, 26 ноября 2026 г., 18:00');
    const after = renderEventEmail(visitReminderEvent(facts, new Date('2026-11-26T14:00:00Z')), 'http://portal.test');
    expect(after.text).not.toContain('«Моя картотека» до');
    expect(after.text).toContain('позвоните в регистратуру по телефону +7 3412 00-00-00');
  });
});
