// The catalogue forms read with the shared schemas: the same values and messages as the server.
import { describe, expect, it } from 'vitest';
import {
  emptyOrganisationForm,
  parseDoctorForm,
  parseOrganisationDetails,
  parseSpecialtyForm,
  specialtyLimits,
} from './catalogue.forms.js';

describe('parseSpecialtyForm', () => {
  const base = { name: 'педиатр', minAge: '', maxAge: '18', sex: '' as const, selfBooking: true };
  it.each([
    [{}, { ok: true, value: { name: 'педиатр', minAge: null, maxAge: 18, sex: null, selfBooking: true } }],
    [
      { minAge: ' 3 ', sex: 'F' as const },
      { ok: true, value: { name: 'педиатр', minAge: 3, maxAge: 18, sex: 'F', selfBooking: true } },
    ],
    [{ minAge: '18' }, { ok: false, fields: { maxAge: 'Возраст до должен быть больше, чем возраст от' } }],
    [{ maxAge: 'много' }, { ok: false, fields: { maxAge: 'Возраст до: укажите число лет' } }],
    [{ maxAge: '1,5' }, { ok: false, fields: { maxAge: 'Возраст до: целое число лет' } }],
    [{ name: '' }, { ok: false, fields: { name: 'Введите название специальности' } }],
  ])('%o', (over, expected) => {
    expect(parseSpecialtyForm({ ...base, ...over })).toEqual(expected);
  });
});

describe('parseDoctorForm', () => {
  const base = {
    lastName: 'Загребина',
    firstName: 'Ольга',
    middleName: '',
    specialtyId: '3',
    position: '',
    room: '214',
  };
  it.each([
    [{}, { ok: true, value: { ...base, specialtyId: 3 } }],
    [{ specialtyId: '' }, { ok: false, fields: { specialtyId: 'Выберите специальность' } }],
    [{ lastName: 'Smith' }, { ok: false, fields: { lastName: 'Фамилия: только русские буквы, дефис и пробел' } }],
    [{ room: '' }, { ok: false, fields: { room: 'Введите номер кабинета' } }],
  ])('%o', (over, expected) => {
    expect(parseDoctorForm({ ...base, ...over })).toEqual(expected);
  });
});

describe('parseOrganisationDetails', () => {
  it.each([
    ['Europe/Samara', true],
    ['Asia/Kamchatka', true],
    ['Europe/Berlin', false],
    ['', false],
  ])('time zone %s accepted: %s', (timeZone, ok) => {
    const form = {
      ...emptyOrganisationForm,
      name: 'Поликлиника',
      shortName: 'П',
      address: 'ул. Мира, 1',
      phone: '+7 3412 000000',
      timeZone,
    };
    expect(parseOrganisationDetails(form).ok).toBe(ok);
  });
});

describe('specialtyLimits', () => {
  it.each([
    [{ minAge: null, maxAge: null, sex: null }, null],
    [{ minAge: null, maxAge: 18, sex: null }, 'до 18 лет'],
    [{ minAge: 18, maxAge: null, sex: 'F' as const }, 'с 18 лет, только женщины'],
    [{ minAge: 3, maxAge: 18, sex: 'M' as const }, 'с 3 до 18 лет, только мужчины'],
  ])('%o → %s', (s, text) => {
    expect(specialtyLimits(s)).toBe(text);
  });
});
