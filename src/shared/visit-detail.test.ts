import { describe, expect, it } from 'vitest';
import type { Visit } from './api/index.js';
import { visitDetail, whatToBring } from './visit-detail.js';

describe('whatToBring', () => {
  it('lists an adult’s documents', () => {
    expect(whatToBring(40)).toEqual([
      'Паспорт',
      'Полис ОМС',
      'СНИЛС',
      'Направление, если оно есть',
      'Результаты предыдущих обследований, если они есть',
    ]);
  });
  it.each([0, 13, 17])('lists a child’s (age %i) documents and the parent’s passport', (age) => {
    const list = whatToBring(age);
    expect(list[0]).toMatch(/Свидетельство о рождении/);
    expect(list).toContain('Паспорт родителя или законного представителя');
    expect(list).not.toContain('Паспорт');
  });
});

describe('visitDetail', () => {
  const visit: Visit = {
    id: '00000000-0000-4000-8000-000000000001',
    reference: 'ПР-7K3M92QD',
    personId: '00000000-0000-4000-8000-0000000000aa',
    startAt: '2026-12-10T05:30:00.000Z',
    endAt: '2026-12-10T05:50:00.000Z',
    localStart: '2026-12-10T09:30',
    timeZone: 'Europe/Samara',
    status: 'booked',
    source: 'portal',
    doctor: { id: 1, name: 'Орлова Вера Павловна', specialty: 'терапевт', room: '210' },
    organisation: { id: 1, name: 'Поликлиника № 1', address: 'г. Самара, ул. Примерная, 1', phone: '+7 846 000-00-00' },
    cancellable: true,
    cancelUntil: '2026-12-09T14:00:00.000Z',
    cancelBlockedReason: null,
    releasable: false,
    releasedAt: null,
    cancelReason: null,
  };
  const child = {
    id: visit.personId,
    lastName: 'Тестова',
    firstName: 'Мила',
    middleName: null,
    birthDate: '2008-12-10',
  };

  it('names the patient and keeps every field of the visit', () => {
    const d = visitDetail(visit, child);
    expect(d.person).toEqual({ id: visit.personId, name: 'Тестова Мила' });
    expect({ ...d, person: undefined, whatToBring: undefined }).toEqual({
      ...visit,
      person: undefined,
      whatToBring: undefined,
    });
  });
  it('counts the age on the visit’s local day: 18 on the birthday itself', () => {
    expect(visitDetail(visit, child).whatToBring).toEqual(whatToBring(18));
    expect(visitDetail(visit, { ...child, birthDate: '2008-12-11' }).whatToBring).toEqual(whatToBring(17));
  });
});
