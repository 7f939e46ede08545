import { describe, expect, it } from 'vitest';
import { bySex, forThem, personStatusWord, visitStatusWord } from './agreement.js';

describe('words that agree with the person’s sex', () => {
  it.each([
    ['booked', 'M', 'Записан'],
    ['booked', 'F', 'Записана'],
    ['booked', null, 'Запись действует'],
    ['no_show', 'M', 'Не пришёл'],
    ['no_show', 'F', 'Не пришла'],
    ['no_show', null, 'Неявка'],
    ['cancelled', 'M', 'Отменена'],
    ['cancelled', 'F', 'Отменена'],
    ['visited', 'F', 'Визит состоялся'],
    ['visited', undefined, 'Визит состоялся'],
  ] as const)('visit %s, sex %s -> %s', (status, sex, word) => {
    expect(visitStatusWord(status, sex)).toBe(word);
  });

  it.each([
    ['pending', 'F', 'На проверке'],
    ['confirmed', 'M', 'Подтверждён'],
    ['confirmed', 'F', 'Подтверждена'],
    ['confirmed', null, 'Данные подтверждены'],
    ['rejected', 'M', 'Отклонён'],
    ['rejected', 'F', 'Отклонена'],
    ['rejected', null, 'Данные отклонены'],
  ] as const)('person %s, sex %s -> %s', (status, sex, word) => {
    expect(personStatusWord(status, sex)).toBe(word);
  });

  it('picks a form by sex, the neutral one when it is not known', () => {
    const forms = { M: 'пришёл', F: 'пришла', neutral: 'явка отмечена' };
    expect(bySex('M', forms)).toBe('пришёл');
    expect(bySex('F', forms)).toBe('пришла');
    expect(bySex(null, forms)).toBe('явка отмечена');
    expect(forThem('M')).toBe('для него');
    expect(forThem('F')).toBe('для неё');
    expect(forThem(undefined)).toBe('для этого человека');
  });
});
