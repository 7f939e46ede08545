import { fromAbsolute } from '@internationalized/date';
import { describe, expect, it } from 'vitest';
import { cityGenitive, cityOfAddress, mskLabel, zoneLabel, zoneOffsetMs } from './zones.js';

const at = new Date('2026-11-25T09:00:00Z');

describe('mskLabel: the offset from Moscow', () => {
  it.each([
    ['Europe/Kaliningrad', 'МСК−1'],
    ['Europe/Moscow', 'МСК'],
    ['Europe/Samara', 'МСК+1'],
    ['Asia/Yekaterinburg', 'МСК+2'],
    ['Asia/Novosibirsk', 'МСК+4'],
    ['Asia/Vladivostok', 'МСК+7'],
    ['Asia/Kamchatka', 'МСК+9'],
  ])('%s -> %s', (zone, label) => {
    expect(mskLabel(zone, at)).toBe(label);
  });
});

describe('zoneOffsetMs: the platform Intl against @internationalized/date', () => {
  it.each([
    ['Europe/Samara', '2026-11-25T09:00:00.123Z'],
    ['Europe/Moscow', '2010-10-31T00:30:00Z'], // Moscow still changed clocks then (DST)
    ['Europe/Moscow', '2011-06-01T12:00:00Z'], // МСК = UTC+4 in 2011–2014
    ['Europe/Berlin', '2026-03-29T00:59:59Z'], // just before a spring-forward
    ['Europe/Berlin', '2026-03-29T01:00:00Z'], // just after it
    ['Asia/Kolkata', '2026-11-25T23:45:00Z'], // half-hour offset, next local day
    ['America/St_Johns', '2026-01-01T02:00:00Z'], // minus half an hour, previous local day
    ['UTC', '2026-11-25T09:00:00Z'],
  ])('%s at %s', (zone, instant) => {
    const at = new Date(instant);
    expect(zoneOffsetMs(zone, at)).toBe(fromAbsolute(at.getTime(), zone).offset);
  });
});

describe('the town of an address and its genitive', () => {
  it.each([
    ['426011, Удмуртская Республика, г. Ижевск, ул. Песочная, д. 14', 'Ижевск'],
    ['427960, Удмуртская Республика, г. Сарапул, ул. Лесная, д. 31', 'Сарапул'],
    ['г. Петропавловск-Камчатский, ул. Ленина, 1', 'Петропавловск-Камчатский'],
    ['город Можга, ул. Наговицына, 2', 'Можга'],
    ['Удмуртская Республика, с. Дебёсы, ул. Советская, 1', null],
    ['ул. Гагарина, 5', null],
  ])('%s -> %s', (address, city) => {
    expect(cityOfAddress(address)).toBe(city);
  });

  it.each([
    ['Ижевск', 'Ижевска'],
    ['Глазов', 'Глазова'],
    ['Воткинск', 'Воткинска'],
    ['Самара', 'Самары'],
    ['Москва', 'Москвы'],
    ['Можга', 'Можги'],
    ['Пермь', null],
    ['Сочи', null],
    ['Петропавловск-Камчатский', null],
  ])('%s -> %s', (city, genitive) => {
    expect(cityGenitive(city)).toBe(genitive);
  });
});

describe('zoneLabel', () => {
  it('names the organisation’s town and the offset from Moscow, never the IANA name or GMT', () => {
    const label = zoneLabel('Europe/Samara', '426011, Удмуртская Республика, г. Ижевск, ул. Песочная, д. 14', at);
    expect(label).toBe('по времени Ижевска (МСК+1)');
    expect(label).not.toMatch(/Europe|GMT/);
  });

  it('falls back to the zone’s main city, then to the town undeclined, then to the offset alone', () => {
    expect(zoneLabel('Europe/Samara', null, at)).toBe('по времени Самары (МСК+1)');
    expect(zoneLabel('Asia/Kamchatka', 'ул. Ленина, 1', at)).toBe('по времени Петропавловска-Камчатского (МСК+9)');
    expect(zoneLabel('Asia/Yekaterinburg', 'г. Пермь, ул. Ленина, 1', at)).toBe('по местному времени, Пермь (МСК+2)');
    expect(zoneLabel('Europe/Berlin', null, at)).toBe('по местному времени (МСК−2)');
  });
});
