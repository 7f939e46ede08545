// Fast local date and time of many instants in one zone, for the schedule read path
// (hundreds of slots per request, thousands of requests per second). The zone's UTC
// offset is looked up with shared/time.ts (the same zone rules) once per quarter hour
// of UTC time and remembered; the rest is plain arithmetic. Zone offsets change only on
// quarter-hour boundaries of UTC, so the result equals localDateOf / localTimeOf
// (checked by local-clock.test.ts).
import { fromAbsolute } from '@internationalized/date';

const BUCKET_MS = 15 * 60_000;
const MAX_ENTRIES = 200_000;
const offsets = new Map<string, number>();

function offsetMs(ms: number, timeZone: string): number {
  const bucket = Math.floor(ms / BUCKET_MS);
  const key = `${timeZone}|${bucket}`;
  let offset = offsets.get(key);
  if (offset === undefined) {
    offset = fromAbsolute(bucket * BUCKET_MS, timeZone).offset;
    if (offsets.size >= MAX_ENTRIES) offsets.clear();
    offsets.set(key, offset);
  }
  return offset;
}

const pad = (n: number) => (n < 10 ? `0${n}` : String(n));

export interface LocalParts {
  /** 'YYYY-MM-DD' */
  date: string;
  /** 'HH:MM' */
  time: string;
}

/** Local date and wall time of an instant (epoch milliseconds) in a zone. */
export function localParts(ms: number, timeZone: string): LocalParts {
  const d = new Date(ms + offsetMs(ms, timeZone));
  return {
    date: `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}`,
    time: `${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}`,
  };
}
