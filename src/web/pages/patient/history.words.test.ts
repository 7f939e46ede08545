import { describe, expect, it } from 'vitest';
import { historyChannelText, historyWhat, historyWho } from './history.words.js';

describe('history words', () => {
  it.each([
    [{ kind: 'booked', released: false, movedFromLocalStart: null }, 'Запись к врачу'],
    [
      { kind: 'moved', released: false, movedFromLocalStart: '2026-11-26T09:30' },
      'Перенос визита с 26 ноября 2026, 09:30',
    ],
    [{ kind: 'moved', released: false, movedFromLocalStart: null }, 'Перенос визита на это время'],
    [
      { kind: 'released', released: false, movedFromLocalStart: null },
      'Сообщение «Не смогу прийти»: время предложено листу ожидания',
    ],
    [{ kind: 'cancelled', released: false, movedFromLocalStart: null }, 'Отмена визита'],
    [
      { kind: 'cancelled', released: true, movedFromLocalStart: null },
      'Отмена визита: время занял пациент из листа ожидания',
    ],
    [{ kind: 'visited', released: false, movedFromLocalStart: null }, 'Отметка: визит состоялся'],
    [{ kind: 'no_show', released: false, movedFromLocalStart: null }, 'Отметка: неявка'],
  ] as const)('%j -> %s', (entry, text) => {
    expect(historyWhat(entry)).toBe(text);
  });

  it('names who and the channel as the guide does', () => {
    expect(Object.values(historyWho)).toEqual(['вы', 'регистратура', 'врач', 'медицинская организация']);
    expect(historyChannelText('clinic_decision')).toBe('решение медицинской организации');
    expect(historyChannelText('electronic_queue')).toBe('электронная очередь');
    expect(historyChannelText(null)).toBe('не указан');
  });
});
