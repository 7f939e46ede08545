import { describe, expect, it } from 'vitest';
import { offerExpiringEvent, offerMadeEvent, type OfferFacts } from './waitlist.emails.js';

const facts: OfferFacts = {
  offerId: 'o-1',
  entryId: 'e-1',
  personName: 'Иванова Анна Сергеевна',
  // 10:00 on Thursday 26 November in Samara (UTC+4).
  startAt: new Date('2026-11-26T06:00:00Z'),
  timeZone: 'Europe/Samara',
  doctorName: 'Волков Андрей Геннадьевич',
  specialty: 'терапевт',
  room: '214',
  organisationName: 'Городская поликлиника № 1',
  address: 'ул. Ленина, 1',
  phone: '+7 3412 00-00-00',
  // 18:00 on Tuesday 24 November in Samara.
  deadline: new Date('2026-11-24T14:00:00Z'),
  offerNumber: 1,
  maxOffers: 3,
};

describe('waitlist offer texts: the deadline after «до» has the weekday in the genitive', () => {
  it('offer made: portal entry, push and e-mail', () => {
    const e = offerMadeEvent('acc-1', facts);
    expect(e.body).toContain('Подтвердите запись или откажитесь до вторника, 24 ноября 2026 г., 18:00.');
    expect(e.push?.body).toContain('Ответьте до вторника, 24 ноября 2026 г., 18:00.');
    expect(e.email.paragraphs.join('\n')).toContain(
      'Подтвердите запись или откажитесь до вторника, 24 ноября 2026 г., 18:00 (местное время).',
    );
    expect(`${e.body} ${e.push?.body} ${e.email.paragraphs.join(' ')}`).not.toMatch(/до вторник,/);
  });

  it('offer expiring: portal entry and e-mail', () => {
    const e = offerExpiringEvent('acc-1', facts);
    expect(e.body).toContain('Ответьте до вторника, 24 ноября 2026 г., 18:00, иначе');
    expect(e.email.paragraphs.join('\n')).toContain('ответьте до вторника, 24 ноября 2026 г., 18:00 (местное время)');
  });
});
