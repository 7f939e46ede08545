// The words of a person's history: what happened, who did it and through which channel.
// Noun phrases, so that nothing depends on the person's sex.
import type { HistoryActor, HistoryChannel, HistoryEntry } from '../../../shared/api/index.js';
import { formatLocalDateTime } from '../../ui/format.js';

export const historyWho: Record<HistoryActor, string> = {
  you: 'вы',
  registry: 'регистратура',
  doctor: 'врач',
  clinic: 'медицинская организация',
};

export const historyChannelWord: Record<HistoryChannel, string> = {
  portal: 'портал',
  registry: 'регистратура',
  doctor: 'врач',
  infomat: 'инфомат',
  electronic_queue: 'электронная очередь',
  clinic_decision: 'решение медицинской организации',
};

/** What happened, e.g. «Перенос визита с 26 ноября 2026, 09:30». */
export function historyWhat(e: Pick<HistoryEntry, 'kind' | 'released' | 'movedFromLocalStart'>): string {
  switch (e.kind) {
    case 'booked':
      return 'Запись к врачу';
    case 'moved':
      return e.movedFromLocalStart
        ? `Перенос визита с ${formatLocalDateTime(e.movedFromLocalStart)}`
        : 'Перенос визита на это время';
    case 'released':
      return 'Сообщение «Не смогу прийти»: время предложено листу ожидания';
    case 'cancelled':
      return e.released ? 'Отмена визита: время занял пациент из листа ожидания' : 'Отмена визита';
    case 'visited':
      return 'Отметка: визит состоялся';
    case 'no_show':
      return 'Отметка: неявка';
  }
}

export function historyChannelText(channel: HistoryChannel | null): string {
  return channel ? historyChannelWord[channel] : 'не указан';
}
