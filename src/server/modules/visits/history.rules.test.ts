import { describe, expect, it } from 'vitest';
import { historyLines, type HistoryRow } from './history.rules.js';

const ME = 'acc-me';
const t = (hhmm: string) => new Date(`2026-11-20T${hhmm}:00Z`);

function row(over: Partial<HistoryRow>): HistoryRow {
  return {
    id: 'a1',
    source: 'portal',
    status: 'booked',
    bookedByAccountId: ME,
    createdAt: t('09:00'),
    endAt: t('18:00'),
    movedFromId: null,
    releasedAt: null,
    cancelledAt: null,
    cancelledBy: null,
    cancelledVia: null,
    cancelledByAccountId: null,
    cancelReason: null,
    statusChangedAt: null,
    statusChangedVia: null,
    ...over,
  };
}

const summary = (rows: HistoryRow[]) =>
  historyLines(rows, ME).map((l) => [l.appointmentId, l.kind, l.who, l.channel, l.at.toISOString().slice(11, 16)]);

describe('who booked, by the visit’s source', () => {
  it.each([
    ['portal', 'you', 'portal'],
    ['registry', 'registry', 'registry'],
    ['doctor', 'doctor', 'doctor'],
    ['infomat', 'you', 'infomat'],
    ['electronic_queue', 'clinic', 'electronic_queue'],
  ] as const)('%s -> %s through %s', (source, who, channel) => {
    expect(summary([row({ source })])).toEqual([['a1', 'booked', who, channel, '09:00']]);
  });
});

describe('cancels', () => {
  const cancelled = (over: Partial<HistoryRow>) =>
    row({ status: 'cancelled', cancelledAt: t('10:00'), statusChangedAt: t('10:00'), ...over });
  it.each([
    [
      'online by this account',
      { cancelledBy: 'patient', cancelledVia: 'portal', cancelledByAccountId: ME },
      'you',
      'portal',
    ],
    ['online before the channel was recorded', { cancelledByAccountId: ME }, 'you', 'portal'],
    ['by phone through the registry', { cancelledBy: 'patient', cancelledVia: 'registry' }, 'registry', 'registry'],
    ['by the doctor', { cancelledBy: 'patient', cancelledVia: 'doctor' }, 'doctor', 'doctor'],
    ['at the infomat', { cancelledBy: 'patient', cancelledVia: 'infomat' }, 'you', 'infomat'],
    ['by the clinic’s system', { cancelledBy: 'patient', cancelledVia: 'integration' }, 'clinic', 'electronic_queue'],
    ['by the clinic’s decision', { cancelledBy: 'clinic', cancelledVia: 'registry' }, 'clinic', 'clinic_decision'],
    ['with no record of who', { cancelledByAccountId: 'someone-else' }, 'clinic', null],
  ] as const)('%s', (_name, over, who, channel) => {
    expect(summary([cancelled(over)])).toEqual([
      ['a1', 'cancelled', who, channel, '10:00'],
      ['a1', 'booked', 'you', 'portal', '09:00'],
    ]);
  });

  it('a cancel without its time (never written so) adds no line', () => {
    expect(summary([row({ status: 'cancelled' })])).toEqual([['a1', 'booked', 'you', 'portal', '09:00']]);
  });
});

describe('moves and releases', () => {
  const old = row({
    id: 'old',
    status: 'cancelled',
    cancelledAt: t('11:00'),
    cancelledBy: 'patient',
    cancelledVia: 'portal',
    cancelledByAccountId: ME,
    cancelReason: 'moved',
  });
  const moved = row({ id: 'new', createdAt: t('11:00'), movedFromId: 'old' });

  it('a move is one line on the new visit, naming the old one', () => {
    const lines = historyLines([moved, old], ME);
    expect(lines.map((l) => [l.appointmentId, l.kind, l.movedFromId])).toEqual([
      ['new', 'moved', 'old'],
      ['old', 'booked', null],
    ]);
  });

  it('the old visit shown alone says it was cancelled for the move', () => {
    expect(summary([old])).toEqual([
      ['old', 'cancelled', 'you', 'portal', '11:00'],
      ['old', 'booked', 'you', 'portal', '09:00'],
    ]);
  });

  it('the new visit shown alone is still a move, without the old time', () => {
    expect(historyLines([moved], ME).map((l) => [l.kind, l.movedFromId])).toEqual([['moved', null]]);
  });

  it('«Не смогу прийти», then the waitlist takes the time: a release and a cancel marked released', () => {
    const released = row({
      releasedAt: t('12:00'),
      status: 'cancelled',
      cancelledAt: t('13:00'),
      cancelledBy: 'patient',
      cancelledVia: 'portal',
      cancelReason: 'released',
    });
    const lines = historyLines([released], ME);
    expect(lines.map((l) => [l.kind, l.released, l.who, l.channel])).toEqual([
      ['cancelled', true, 'you', 'portal'],
      ['released', false, 'you', 'portal'],
      ['booked', false, 'you', 'portal'],
    ]);
  });

  it('a release nobody took: the visit stays, with the release line', () => {
    expect(summary([row({ releasedAt: t('12:00') })])).toEqual([
      ['a1', 'released', 'you', 'portal', '12:00'],
      ['a1', 'booked', 'you', 'portal', '09:00'],
    ]);
  });
});

describe('outcomes', () => {
  it.each([
    ['doctor', 'doctor', 'doctor'],
    ['registry', 'registry', 'registry'],
    ['integration', 'clinic', 'electronic_queue'],
    [null, 'clinic', null],
  ] as const)('marked through %s', (via, who, channel) => {
    const r = row({ source: 'registry', status: 'visited', statusChangedAt: t('17:00'), statusChangedVia: via });
    expect(summary([r])[0]).toEqual(['a1', 'visited', who, channel, '17:00']);
  });

  it('a no-show recorded before the time was kept is placed at the end of the visit', () => {
    expect(summary([row({ status: 'no_show' })])[0]).toEqual(['a1', 'no_show', 'clinic', null, '18:00']);
  });
});

it('orders every visit’s lines newest first', () => {
  const a = row({
    id: 'a',
    createdAt: t('08:00'),
    status: 'cancelled',
    cancelledAt: t('14:00'),
    cancelledVia: 'portal',
  });
  const b = row({ id: 'b', source: 'registry', createdAt: t('10:00') });
  expect(summary([a, b]).map((l) => `${l[0]}:${l[1]}`)).toEqual(['a:cancelled', 'b:booked', 'a:booked']);
});
