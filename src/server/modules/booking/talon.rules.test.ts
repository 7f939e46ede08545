import QRCode from 'qrcode';
import { describe, expect, it } from 'vitest';
import { patientInitials, qrPath, qrTextOf, referenceCandidates, zoneLabelRu } from './talon.rules.js';

describe('patientInitials', () => {
  it.each([
    [{ lastName: 'Иванова', firstName: 'Анна', middleName: 'Сергеевна' }, 'И. А. С.'],
    [{ lastName: 'Семёнова-Ёлкина', firstName: 'алёна', middleName: null }, 'С. А.'],
    [{ lastName: 'Ёлкин', firstName: 'Тимур', middleName: '' }, 'Ё. Т.'],
  ])('%o -> %s', (person, expected) => {
    expect(patientInitials(person)).toBe(expected);
  });
});

describe('qrTextOf', () => {
  it('writes the prefix in Latin letters, which a scanner can type', () => {
    expect(qrTextOf('ПР-7K3M92QD')).toBe('PR-7K3M92QD');
  });
});

describe('zoneLabelRu', () => {
  it.each([
    ['Europe/Samara', 'время местное: Самара, Ижевск (МСК+1)'],
    ['Europe/Moscow', 'время местное: Москва (МСК)'],
    ['America/New_York', 'время местное: America/New_York'],
  ])('%s', (zone, label) => {
    expect(zoneLabelRu(zone)).toBe(label);
  });
});

describe('referenceCandidates', () => {
  it.each([
    ['PR-7K3M92QD', ['ПР-7K3M92QD']],
    ['ПР-7K3M92QD', ['ПР-7K3M92QD']],
    ['  pr-7k3m92qd\n', ['ПР-7K3M92QD']],
    ['7K3M92QD', ['ПР-7K3M92QD']],
    ['PR7K3M92QD', ['ПР-7K3M92QD']],
    // The scanner typed «PR-7K3M92QD» while the layout was Russian.
    ['ЗК-7Л3Ь92ЙВ', ['ПР-7K3M92QD']],
    // «ПР-» typed in a Latin layout.
    ['GH-7K3M92QD', ['ПР-7K3M92QD']],
    // Retyped by eye with Cyrillic look-alikes: К, М, С are also keys (R, V, C), both readings kept.
    ['ПР-ККМС2345', ['ПР-RRVC2345', 'ПР-KKMC2345']],
    // A code that starts with PR, typed without its prefix.
    ['PRXY2345', ['ПР-PRXY2345']],
  ])('%j -> %j', (input, expected) => {
    expect(referenceCandidates(input)).toEqual(expected);
  });

  it.each([[''], ['ПР-'], ['ПР-7K3M92Q'], ['ПР-7K3M92QD1'], ['ПР-0O1IL234'], ['x'.repeat(40)], ['ПР-7K3M 92QD; drop']])(
    'nothing for %j',
    (input) => {
      expect(referenceCandidates(input)).toEqual([]);
    },
  );
});

describe('qrPath', () => {
  it('draws one rectangle per horizontal run of dark modules', () => {
    const grid = ['110', '011', '101'];
    expect(qrPath(3, (x, y) => grid[y]?.[x] === '1')).toBe('M0 0h2v1h-2zM1 1h2v1h-2zM0 2h1v1h-1zM2 2h1v1h-1z');
  });

  it('covers exactly the dark modules of a real code', () => {
    const qr = QRCode.create('PR-7K3M92QD', { errorCorrectionLevel: 'M' });
    const { size, data } = qr.modules;
    const path = qrPath(size, (x, y) => data[y * size + x] === 1);
    let covered = 0;
    for (const m of path.matchAll(/h(\d+)v1/g)) covered += Number(m[1]);
    expect(covered).toBe(data.reduce((n: number, v: number) => n + (v ? 1 : 0), 0));
  });
});
