import { describe, expect, it } from 'vitest';
import type { VisitFacts } from '../booking/booking.emails.js';
import { pushPayloadOf, renderEventEmail } from '../notify/notify.rules.js';
import { bookingMovedEvent } from './move.emails.js';

const old: VisitFacts = {
  appointmentId: 'a0000000-0000-4000-8000-000000000001',
  reference: 'ПР-OLD23456',
  personName: 'Сидорова Анна Павловна',
  startAt: new Date('2026-11-27T06:00:00Z'), // Friday 10:00 Samara
  timeZone: 'Europe/Samara',
  doctorName: 'Петров Сергей Иванович',
  specialty: 'Гинеколог',
  room: '214',
  organisationName: 'Городская поликлиника № 1',
  address: 'Ижевск, ул. Ленина, 1',
  phone: '+7 3412 00-00-00',
  cancelUntil: new Date('2026-11-26T14:00:00Z'),
};
const moved: VisitFacts = {
  ...old,
  appointmentId: 'a0000000-0000-4000-8000-000000000002',
  reference: 'ПР-NEW23456',
  startAt: new Date('2026-11-30T07:30:00Z'), // Monday 11:30 Samara
  doctorName: 'Орлова Вера Павловна',
  room: '301',
  cancelUntil: new Date('2026-11-29T14:00:00Z'),
};
const secrets = ['Сидорова', 'Анна', 'Гинеколог', 'Петров', 'Орлова'];

describe('«Визит перенесён»', () => {
  it('names the old and the new time, the new reference and link; запись «перенесена»', () => {
    const e = bookingMovedEvent('acc-1', old, moved);
    expect(e).toMatchObject({
      accountId: 'acc-1',
      kind: 'booking_moved',
      dedupKey: `booking_moved:${moved.appointmentId}`,
      title: 'Визит перенесён',
      link: `/appointments/${moved.appointmentId}`,
    });
    expect(e.body).toBe(
      'Запись перенесена: понедельник, 30 ноября 2026 г., 11:30 (местное время) вместо пятница, 27 ноября 2026 г., 10:00, кабинет 301. Номер записи ПР-NEW23456.',
    );
    const mail = renderEventEmail(e, 'http://portal.test');
    expect(mail.subject).toBe('Визит перенесён');
    expect(mail.text).toContain('Запись на приём к врачу перенесена');
    expect(mail.text).toContain(
      'Понедельник, 30 ноября 2026 г., 11:30 (местное время) вместо пятница, 27 ноября 2026 г., 10:00',
    );
    expect(mail.text).toContain('Врач: Орлова Вера Павловна, Гинеколог');
    expect(mail.text).toContain('Номер записи: ПР-NEW23456');
    expect(mail.text).toContain('Прежний номер записи ПР-OLD23456 больше не действует.');
    expect(mail.text).toContain(
      'перенесите или отмените запись в разделе «Моя картотека» до воскресенья, 29 ноября 2026 г., 18:00.',
    );
    expect(mail.text).toContain(`http://portal.test/appointments/${moved.appointmentId}`);
    const push = pushPayloadOf(e);
    expect(push).toEqual({
      title: 'Визит перенесён',
      body: 'Запись перенесена: понедельник, 30 ноября 2026 г., 11:30 (местное время) вместо пятница, 27 ноября 2026 г., 10:00. Подробности — на портале.',
      url: `/appointments/${moved.appointmentId}`,
    });
    for (const s of secrets) {
      expect(mail.subject + e.title + e.body).not.toContain(s);
      expect(JSON.stringify(push)).not.toContain(s);
    }
  });
});
