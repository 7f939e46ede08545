import { describe, expect, it } from 'vitest';
import { pushPayloadOf, renderEventEmail } from '../notify/notify.rules.js';
import { bookingCancelledEvent, bookingMadeEvent, type CancelledBy, type VisitFacts } from './booking.emails.js';

const v: VisitFacts = {
  appointmentId: 'a0000000-0000-4000-8000-000000000001',
  reference: 'ПР-ABCD2345',
  personName: 'Сидорова Анна Павловна',
  startAt: new Date('2026-11-27T06:00:00Z'), // 10:00 Samara
  timeZone: 'Europe/Samara',
  doctorName: 'Петров Сергей Иванович',
  specialty: 'Гинеколог',
  room: '214',
  organisationName: 'Городская поликлиника № 1',
  address: 'Ижевск, ул. Ленина, 1',
  phone: '+7 3412 00-00-00',
  cancelUntil: new Date('2026-11-26T14:00:00Z'),
};
const secrets = ['Сидорова', 'Анна', 'Гинеколог', 'Петров'];

describe('booking events', () => {
  it('booking made: the in-portal entry, the e-mail and the push text', () => {
    const e = bookingMadeEvent('acc-1', v);
    expect(e).toMatchObject({
      accountId: 'acc-1',
      kind: 'booking_made',
      dedupKey: `booking_made:${v.appointmentId}`,
      link: `/appointments/${v.appointmentId}`,
    });
    expect(e.body).toBe('Пятница, 27 ноября 2026 г., 10:00 (местное время), кабинет 214. Номер записи ПР-ABCD2345.');
    const mail = renderEventEmail(e, 'http://portal.test');
    expect(mail.subject).toBe('Вы записаны на приём');
    expect(mail.text).toContain('Пациент: Сидорова Анна Павловна');
    expect(mail.text).toContain('до четверга, 26 ноября 2026 г., 18:00');
    expect(mail.text).toContain(`http://portal.test/appointments/${v.appointmentId}`);
    const push = pushPayloadOf(e);
    expect(push).toEqual({
      title: 'Вы записаны на приём',
      body: 'Пятница, 27 ноября 2026 г., 10:00 (местное время). Подробности — на портале.',
      url: `/appointments/${v.appointmentId}`,
    });
    for (const s of secrets) {
      expect(mail.subject).not.toContain(s);
      expect(e.title + e.body).not.toContain(s);
      expect(JSON.stringify(push)).not.toContain(s);
    }
  });

  it.each<[CancelledBy, string]>([
    ['account', 'Запись отменена из вашей учётной записи на портале.'],
    ['registry', 'Запись отменила регистратура медицинской организации.'],
    ['doctor', 'Запись отменил врач медицинской организации.'],
    ['infomat', 'Запись отменена через инфомат в медицинской организации.'],
    ['electronic_queue', 'Запись отменена через электронную очередь медицинской организации.'],
    ['clinic', 'Запись отменила медицинская организация.'],
  ])('booking cancelled by %s says so everywhere', (by, text) => {
    const e = bookingCancelledEvent('acc-1', v, by);
    expect(e).toMatchObject({
      kind: 'booking_cancelled',
      dedupKey: `booking_cancelled:${v.appointmentId}`,
      title: 'Запись на приём отменена',
    });
    expect(e.body).toBe(`Пятница, 27 ноября 2026 г., 10:00 (местное время). ${text}`);
    expect(pushPayloadOf(e).body).toContain(text);
    const mail = renderEventEmail(e, 'http://portal.test');
    expect(mail.subject).toBe('Запись на приём отменена');
    expect(mail.text).toContain(text);
    expect(mail.text).toContain(v.reference);
    // "If it was not you, call" only makes sense when the account itself is said to have cancelled.
    expect(mail.text.includes('Если вы не отменяли запись')).toBe(by === 'account');
    for (const s of secrets) {
      expect(mail.subject + e.title + e.body).not.toContain(s);
    }
  });
});
