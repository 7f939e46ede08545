import { describe, expect, it } from 'vitest';
import { buildIcs, escapeText, foldLine, utcStamp } from './ics.js';

describe('escapeText', () => {
  it.each([
    ['plain', 'plain'],
    ['a, b; c', 'a\\, b\\; c'],
    ['back\\slash', 'back\\\\slash'],
    ['line 1\nline 2\r\nline 3', 'line 1\\nline 2\\nline 3'],
  ])('%s', (input, expected) => {
    expect(escapeText(input)).toBe(expected);
  });
});

describe('utcStamp', () => {
  it('writes a UTC DATE-TIME', () => {
    expect(utcStamp(new Date('2026-11-27T06:00:00.000Z'))).toBe('20261127T060000Z');
  });
});

describe('foldLine', () => {
  it('leaves a short line alone', () => {
    expect(foldLine('SUMMARY:Приём у врача')).toBe('SUMMARY:Приём у врача');
  });

  it('folds at 75 octets and never splits a Cyrillic letter', () => {
    const line = `DESCRIPTION:${'Ж'.repeat(100)}`;
    const folded = foldLine(line);
    const parts = folded.split('\r\n');
    expect(parts.length).toBeGreaterThan(1);
    for (const p of parts) expect(Buffer.byteLength(p, 'utf8')).toBeLessThanOrEqual(75);
    for (const p of parts.slice(1)) expect(p.startsWith(' ')).toBe(true);
    // Unfolding (remove CRLF + one space) gives back the line.
    expect(folded.replace(/\r\n /g, '')).toBe(line);
    expect(folded).not.toContain('\uFFFD');
  });

  it('folds a long ASCII line into 75-octet pieces', () => {
    const line = `X:${'a'.repeat(200)}`;
    const parts = foldLine(line).split('\r\n');
    expect(Buffer.byteLength(parts[0])).toBe(75);
    expect(Buffer.byteLength(parts[1])).toBe(75);
  });
});

describe('buildIcs', () => {
  const ics = buildIcs({
    uid: '0b9c7c1e-1111-4a4a-8888-000000000001@portal.test',
    stamp: new Date('2026-11-25T09:00:00Z'),
    start: new Date('2026-11-27T06:00:00Z'),
    end: new Date('2026-11-27T06:30:00Z'),
    summary: 'Приём у врача',
    location: 'г. Ижевск, ул. Тестовая, д. 1; кабинет 101',
    description: `Врач: Петров Сергей Иванович.\nОтменить запись можно в личном кабинете до 18:00 накануне. ${'Очень длинный текст. '.repeat(5)}`,
    url: 'http://portal.test/appointments/0b9c7c1e-1111-4a4a-8888-000000000001',
  });

  it('is a VCALENDAR with one VEVENT, CRLF line endings and a final CRLF', () => {
    expect(ics.startsWith('BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:')).toBe(true);
    expect(ics.endsWith('END:VEVENT\r\nEND:VCALENDAR\r\n')).toBe(true);
    expect(ics.replace(/\r\n/g, '')).not.toMatch(/[\r\n]/);
    expect(ics.match(/BEGIN:VEVENT/g)).toHaveLength(1);
  });

  it('has the required properties in UTC', () => {
    const unfolded = ics.replace(/\r\n /g, '');
    expect(unfolded).toContain('\r\nUID:0b9c7c1e-1111-4a4a-8888-000000000001@portal.test\r\n');
    expect(unfolded).toContain('\r\nDTSTAMP:20261125T090000Z\r\n');
    expect(unfolded).toContain('\r\nDTSTART:20261127T060000Z\r\n');
    expect(unfolded).toContain('\r\nDTEND:20261127T063000Z\r\n');
    expect(unfolded).toContain('\r\nSUMMARY:Приём у врача\r\n');
    expect(unfolded).toContain('\r\nLOCATION:г. Ижевск\\, ул. Тестовая\\, д. 1\\; кабинет 101\r\n');
    expect(unfolded).toContain('\r\nDESCRIPTION:Врач: Петров Сергей Иванович.\\nОтменить запись');
    expect(unfolded).toContain('\r\nSTATUS:CONFIRMED\r\n');
  });

  it('keeps every physical line within 75 octets', () => {
    for (const line of ics.split('\r\n')) expect(Buffer.byteLength(line, 'utf8')).toBeLessThanOrEqual(75);
  });
});
