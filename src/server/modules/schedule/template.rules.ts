// The schedule editor's rules as the form sends them and as they are stored (pure): a weekday
// rule is one schedule_templates row per weekday, odd / even dates one row; reading groups
// weekday rows that agree on everything else back into one rule.
import type { ScheduleTemplateBody, TemplateRuleBody } from '../../../shared/api/schedule-admin.js';
import type { TemplateRule } from './schedule.rules.js';

/** A rule of the form becomes stored rows: one per weekday, or one for odd / even dates. */
export function toStoredRules(body: ScheduleTemplateBody): TemplateRule[] {
  return body.rules.flatMap((r): TemplateRule[] => {
    const base = {
      startTime: r.startTime,
      endTime: r.endTime,
      slotMinutes: r.slotMinutes,
      breaks: [...r.breaks].sort((a, b) => (a.start < b.start ? -1 : 1)),
      validFrom: r.validFrom,
      validUntil: r.validUntil,
      registryPercent: r.registryPercent,
      referralPercent: r.referralPercent,
    };
    if (r.days !== 'weekdays') return [{ ...base, dayRule: r.days, weekday: null }];
    return [...new Set(r.weekdays)]
      .sort((a, b) => a - b)
      .map((weekday) => ({ ...base, dayRule: 'weekday' as const, weekday }));
  });
}

/** Stored rows become the form's rules: weekday rows that agree on everything else join into one. */
export function toRuleBodies(rules: readonly TemplateRule[]): TemplateRuleBody[] {
  const out: TemplateRuleBody[] = [];
  const byKey = new Map<string, TemplateRuleBody>();
  for (const r of rules) {
    const rest = {
      startTime: r.startTime,
      endTime: r.endTime,
      slotMinutes: r.slotMinutes,
      breaks: r.breaks.map((b) => ({ start: b.start, end: b.end })),
      validFrom: r.validFrom,
      validUntil: r.validUntil,
      registryPercent: r.registryPercent,
      referralPercent: r.referralPercent,
    };
    if (r.dayRule !== 'weekday' || r.weekday === null) {
      out.push({ days: r.dayRule === 'odd' ? 'odd' : 'even', weekdays: [], ...rest });
      continue;
    }
    const key = JSON.stringify(rest);
    const found = byKey.get(key);
    if (found) {
      if (!found.weekdays.includes(r.weekday)) found.weekdays.push(r.weekday);
      found.weekdays.sort((a, b) => a - b);
    } else {
      const rule: TemplateRuleBody = { days: 'weekdays', weekdays: [r.weekday], ...rest };
      byKey.set(key, rule);
      out.push(rule);
    }
  }
  return out;
}
