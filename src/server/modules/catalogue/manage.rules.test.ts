// Table-driven tests of the catalogue management's pure rules.
import { describe, expect, it } from 'vitest';
import { changedFields, createdFields, futureVisitsMessage, heldTimesMessage, pluralRu } from './manage.rules.js';

describe('changedFields', () => {
  it.each([
    { current: { room: '106', position: '' }, next: { room: '106', position: '' }, expected: {} },
    { current: { room: '106', position: '' }, next: { room: '214' }, expected: { room: { from: '106', to: '214' } } },
    {
      current: { middleName: 'Игоревич' as string | null },
      next: { middleName: null },
      expected: { middleName: { from: 'Игоревич', to: null } },
    },
    { current: { minAge: null as number | null }, next: { minAge: 0 }, expected: { minAge: { from: null, to: 0 } } },
    {
      current: { selfBooking: true },
      next: { selfBooking: false },
      expected: { selfBooking: { from: true, to: false } },
    },
    { current: { room: '1' }, next: { room: undefined }, expected: {} },
  ])('$next against $current', ({ current, next, expected }) => {
    expect(changedFields(current, next as Partial<typeof current>)).toEqual(expected);
  });
});

describe('createdFields', () => {
  it('lists every field as a change from nothing', () => {
    expect(createdFields({ room: '5', middleName: null })).toEqual({
      room: { from: null, to: '5' },
      middleName: { from: null, to: null },
    });
  });
});

describe('pluralRu', () => {
  const forms = ['запись', 'записи', 'записей'] as const;
  it.each([
    [0, 'записей'],
    [1, 'запись'],
    [2, 'записи'],
    [4, 'записи'],
    [5, 'записей'],
    [11, 'записей'],
    [12, 'записей'],
    [14, 'записей'],
    [21, 'запись'],
    [22, 'записи'],
    [25, 'записей'],
    [101, 'запись'],
    [111, 'записей'],
    [112, 'записей'],
  ])('%i → %s', (n, form) => {
    expect(pluralRu(n, forms)).toBe(form);
  });
});

describe('futureVisitsMessage', () => {
  it.each([
    [1, 'У врача 1 будущая запись пациентов.'],
    [3, 'У врача 3 будущие записи пациентов.'],
    [7, 'У врача 7 будущих записей пациентов.'],
  ])('%i visits', (n, start) => {
    const text = futureVisitsMessage(n);
    expect(text.startsWith(start)).toBe(true);
    expect(text).toContain('Перенесите или отмените их');
  });
});

describe('heldTimesMessage', () => {
  it.each([
    [1, 'Часть времени врача (1 приём) сейчас предложена'],
    [2, 'Часть времени врача (2 приёма) сейчас предложена'],
    [5, 'Часть времени врача (5 приёмов) сейчас предложена'],
  ])('%i held times', (n, start) => {
    expect(heldTimesMessage(n).startsWith(start)).toBe(true);
  });
});
