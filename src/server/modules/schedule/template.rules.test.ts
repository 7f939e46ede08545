// The editor's rules and the stored rows: a weekday rule is one row per weekday, odd / even
// dates one row; reading groups weekday rows that agree on everything else back into one rule.
import { describe, expect, it } from 'vitest';
import type { TemplateRuleBody } from '../../../shared/api/schedule-admin.js';
import { toRuleBodies, toStoredRules } from './template.rules.js';

const body = (over: Partial<TemplateRuleBody> = {}): TemplateRuleBody => ({
  days: 'weekdays',
  weekdays: [1, 3],
  startTime: '08:00',
  endTime: '12:00',
  slotMinutes: 15,
  breaks: [],
  validFrom: '2026-12-01',
  validUntil: null,
  registryPercent: 10,
  referralPercent: 5,
  ...over,
});

describe('toStoredRules and toRuleBodies', () => {
  it.each([
    { name: 'weekdays Mon and Wed: two rows, back as one rule', rules: [body()], rows: 2, back: [body()] },
    {
      name: 'weekdays given out of order and twice: sorted, once each',
      rules: [body({ weekdays: [5, 1, 5] })],
      rows: 2,
      back: [body({ weekdays: [1, 5] })],
    },
    {
      name: 'odd dates: one row',
      rules: [body({ days: 'odd', weekdays: [] })],
      rows: 1,
      back: [body({ days: 'odd', weekdays: [] })],
    },
    {
      name: 'two weekday rules with different hours stay two rules',
      rules: [body({ weekdays: [1] }), body({ weekdays: [2], startTime: '13:00', endTime: '17:00' })],
      rows: 2,
      back: [body({ weekdays: [1] }), body({ weekdays: [2], startTime: '13:00', endTime: '17:00' })],
    },
    {
      name: 'breaks are kept in time order',
      rules: [
        body({
          breaks: [
            { start: '11:00', end: '11:15' },
            { start: '09:00', end: '09:15' },
          ],
        }),
      ],
      rows: 2,
      back: [
        body({
          breaks: [
            { start: '09:00', end: '09:15' },
            { start: '11:00', end: '11:15' },
          ],
        }),
      ],
    },
  ])('$name', ({ rules, rows, back }) => {
    const stored = toStoredRules({ rules });
    expect(stored).toHaveLength(rows);
    expect(toRuleBodies(stored)).toEqual(back);
  });
});
