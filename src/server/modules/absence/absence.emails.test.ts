// What a portal account is told when the doctor's days are closed: the move offer and the
// cancellation «по решению медицинской организации». Titles and lock-screen texts never name
// the person, the doctor or the specialty; the e-mail says what happens next.
import { describe, expect, it } from 'vitest';
import { clinicCancelledEvent, moveOfferedEvent } from './absence.emails.js';

const TZ = 'Europe/Samara';
const move = {
  offerId: '00000000-0000-4000-8000-0000000000aa',
  personName: 'Ершова Ольга Петровна',
  timeZone: TZ,
  organisationName: 'Городская поликлиника № 1',
  address: 'г. Ижевск, ул. Песочная, д. 14',
  phone: '+7 (3412) 00-41-10',
  specialty: 'терапевт',
  old: { startAt: new Date('2026-12-01T09:00:00Z'), doctorName: 'Шутова Елена Михайловна' },
  offered: { startAt: new Date('2026-12-03T07:20:00Z'), doctorName: 'Волков Андрей Геннадьевич', room: '106' },
  deadline: new Date('2026-11-26T09:00:00Z'),
};
const cancel = {
  appointmentId: '00000000-0000-4000-8000-0000000000bb',
  personName: 'Ершова Ольга Петровна',
  startAt: new Date('2026-12-01T09:00:00Z'),
  timeZone: TZ,
  doctorName: 'Шутова Елена Михайловна',
  specialty: 'терапевт',
  organisationName: 'Городская поликлиника № 1',
  phone: '+7 (3412) 00-41-10',
  waitlistLink: '/waitlist/join?doctor=7',
};
const secret = /Ершова|Шутова|Волков|терапевт/;

describe('moveOfferedEvent', () => {
  const e = moveOfferedEvent('acc', move);
  it('links to the offer, says the doctor cannot receive, the new time (local) and the deadline', () => {
    expect(e.link).toBe(`/moves/${move.offerId}`);
    expect(e.dedupKey).toBe(`absence_move_offered:${move.offerId}`);
    expect(e.body).toContain('Врач не сможет принять во вторник, 1 декабря 2026 г., 13:00');
    expect(e.body).toContain('Предлагаем четверг, 3 декабря 2026 г., 11:20');
    expect(e.body).toContain('Ответьте до четверга, 26 ноября 2026 г., 13:00');
    expect(e.email.paragraphs.join('\n')).toContain('запись будет отменена по решению медицинской организации');
  });
  it('keeps names and the specialty off the title and the lock screen', () => {
    for (const text of [e.title, e.push?.title ?? '', e.push?.body ?? '', e.email.subject])
      expect(text).not.toMatch(secret);
  });
});

describe('clinicCancelledEvent', () => {
  it.each([
    ['clinic', 'Запись отменена по решению медицинской организации: врач не сможет принять.'],
    ['declined', 'Вы отказались от переноса'],
    ['expired', 'Срок ответа на предложение о переносе истёк'],
  ] as const)('%s', (why, lead) => {
    const e = clinicCancelledEvent('acc', { ...cancel, why });
    expect(e.title).toBe('Запись отменена по решению медицинской организации');
    expect(e.body).toContain(lead);
    expect(e.link).toBe('/waitlist/join?doctor=7');
    expect(e.email.actionLabel).toBe('Встать в очередь');
    for (const text of [e.title, e.push?.title ?? '', e.push?.body ?? '', e.email.subject])
      expect(text).not.toMatch(secret);
  });
  it('without a waitlist: no queue link, only booking again', () => {
    const e = clinicCancelledEvent('acc', { ...cancel, why: 'clinic', waitlistLink: null });
    expect(e.link).toBeNull();
    expect(e.email.actionLabel).toBeUndefined();
    expect(e.body).toContain('Вы можете записаться к другому врачу на портале.');
  });
});
