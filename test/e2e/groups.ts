// Which spec files run together on one server (playwright.config.ts). The split is fixed by
// the files and the weights below, never by timing at run time: a file always meets the same
// neighbours on its server. Files are dealt heaviest first to the group with the least weight
// so far (ties: the first group); a file missing from the table weighs DEFAULT_WEIGHT.
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const dir = path.dirname(fileURLToPath(import.meta.url));

/**
 * Seconds each spec file's tests took (8 December, 865bf13, two servers on a quiet machine: the
 * proportions matter, not the figures). A new file weighs DEFAULT_WEIGHT until it is added here.
 */
const WEIGHTS: Record<string, number> = {
  'api-keys.spec.ts': 13,
  'clinic-catalogue.spec.ts': 37,
  'clinic-schedule.spec.ts': 30,
  'devmail.spec.ts': 11,
  'doctor.spec.ts': 29,
  'esia-family.spec.ts': 20,
  'esia.spec.ts': 32,
  'fixes.spec.ts': 19,
  'kiosk.spec.ts': 45,
  'low-vision.spec.ts': 124,
  'moderation.spec.ts': 26,
  'notifications.spec.ts': 19,
  'offline-cardfile.spec.ts': 16,
  'operator.spec.ts': 27,
  'password-common.spec.ts': 4,
  'password-reset.spec.ts': 8,
  'patient-booking.spec.ts': 21,
  'patient-cancel.spec.ts': 20,
  'patient-move.spec.ts': 38,
  'patient-phone.spec.ts': 13,
  'patient-release.spec.ts': 28,
  'patient-signup.spec.ts': 22,
  'patient-taken.spec.ts': 14,
  'referral.spec.ts': 19,
  'registry.spec.ts': 43,
  'schedule-grid.spec.ts': 12,
  'sick-day.spec.ts': 33,
  'talon-own-data.spec.ts': 42,
  'waitlist.spec.ts': 57,
};
const DEFAULT_WEIGHT = 30;

/** `count` groups of spec file names (test/e2e/*.spec.ts), each in name order. */
export function splitSpecs(files: readonly string[], count: number, weights: Record<string, number>): string[][] {
  const groups = Array.from({ length: count }, () => ({ files: [] as string[], weight: 0 }));
  const heaviestFirst = [...files].sort(
    (a, b) => (weights[b] ?? DEFAULT_WEIGHT) - (weights[a] ?? DEFAULT_WEIGHT) || (a < b ? -1 : 1),
  );
  for (const file of heaviestFirst) {
    const lightest = groups.reduce((best, g) => (g.weight < best.weight ? g : best));
    lightest.files.push(file);
    lightest.weight += weights[file] ?? DEFAULT_WEIGHT;
  }
  return groups.map((g) => g.files.sort());
}

/** The spec files of test/e2e split into `count` groups, as glob patterns for a project's testMatch. */
export function specGroups(count: number): string[][] {
  const files = readdirSync(dir)
    .filter((f) => f.endsWith('.spec.ts'))
    .sort();
  return splitSpecs(files, count, WEIGHTS).map((g) => g.map((f) => `**/${f}`));
}
