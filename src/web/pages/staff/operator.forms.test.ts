import { describe, expect, it } from 'vitest';
import type { AuditEntry } from '../../../shared/api/index.js';
import {
  auditActor,
  describeAudit,
  normaliseTime,
  parseOrganisationForm,
  parseRegionForm,
  type RegionForm,
} from './operator.forms.js';

const good: RegionForm = {
  cutoffTime: '18:00',
  horizonDays: '14',
  maxPerSpecialty: '1',
  holdMinutes: '10',
  offerWindowHours: '24',
  maxOffers: '3',
};

describe('normaliseTime', () => {
  it.each([
    ['18:00', '18:00'],
    [' 9:30 ', '09:30'],
    ['9.30', '09:30'],
    ['', ''],
    ['25:00', '25:00'],
  ])('%j -> %j', (input, expected) => expect(normaliseTime(input)).toBe(expected));
});

describe('parseRegionForm', () => {
  it('accepts good values and turns numbers into numbers', () => {
    expect(parseRegionForm({ ...good, cutoffTime: '7:45' })).toEqual({
      ok: true,
      value: {
        cutoffTime: '07:45',
        horizonDays: 14,
        maxPerSpecialty: 1,
        holdMinutes: 10,
        offerWindowHours: 24,
        maxOffers: 3,
      },
    });
  });

  it.each<[string, Partial<RegionForm>, Record<string, string>]>([
    ['an hour past 23', { cutoffTime: '25:00' }, { cutoffTime: 'Время в формате ЧЧ:ММ, например 18:00' }],
    ['minutes past 59', { cutoffTime: '18:60' }, { cutoffTime: 'Время в формате ЧЧ:ММ, например 18:00' }],
    ['an empty time', { cutoffTime: ' ' }, { cutoffTime: 'Введите время, например 18:00' }],
    ['a horizon of 0 days', { horizonDays: '0' }, { horizonDays: 'Не меньше 1 дня' }],
    ['a horizon of 91 days', { horizonDays: '91' }, { horizonDays: 'Не больше 90 дней' }],
    ['words instead of a number', { horizonDays: 'две недели' }, { horizonDays: 'Введите число дней, например 14' }],
    ['a fraction', { holdMinutes: '2.5' }, { holdMinutes: 'Введите число минут, например 10' }],
    [
      'an empty number',
      { maxPerSpecialty: '' },
      { maxPerSpecialty: 'Заполните поле «Записей к врачам одной специальности на человека»' },
    ],
    ['too many per specialty', { maxPerSpecialty: '11' }, { maxPerSpecialty: 'Не больше 10' }],
    ['a hold of 61 minutes', { holdMinutes: '61' }, { holdMinutes: 'Не больше 60 минут' }],
    ['an offer window of 0 hours', { offerWindowHours: '0' }, { offerWindowHours: 'Не меньше 1 часа' }],
    ['an offer window of 100 hours', { offerWindowHours: '100' }, { offerWindowHours: 'Не больше 72 часов' }],
    ['no offers at all', { maxOffers: '0' }, { maxOffers: 'Не меньше 1' }],
    ['words for the number of offers', { maxOffers: 'три' }, { maxOffers: 'Введите число предложений, например 3' }],
  ])('refuses %s', (_name, change, fields) => {
    expect(parseRegionForm({ ...good, ...change })).toEqual({ ok: false, fields });
  });

  it('lists several problems in the order of the form', () => {
    const r = parseRegionForm({ ...good, cutoffTime: '24:00', horizonDays: '0', holdMinutes: 'x' });
    expect(r.ok).toBe(false);
    if (!r.ok) expect(Object.keys(r.fields)).toEqual(['cutoffTime', 'horizonDays', 'holdMinutes']);
  });
});

describe('parseOrganisationForm', () => {
  it.each([
    [
      { cutoffOverride: '', waitlistAllowed: true },
      { ok: true, value: { cutoffOverride: null, waitlistAllowed: true } },
    ],
    [
      { cutoffOverride: '8:00', waitlistAllowed: false },
      { ok: true, value: { cutoffOverride: '08:00', waitlistAllowed: false } },
    ],
    [
      { cutoffOverride: '24:00', waitlistAllowed: false },
      { ok: false, fields: { cutoffOverride: 'Время в формате ЧЧ:ММ, например 18:00' } },
    ],
  ])('%j', (form, expected) => expect(parseOrganisationForm(form)).toEqual(expected));
});

describe('describeAudit', () => {
  const entry = (e: Partial<AuditEntry>): AuditEntry => ({
    id: 1,
    at: '2026-11-25T09:00:00.000Z',
    actor: 'operator@example.org',
    action: 'settings.update',
    entityType: 'region_settings',
    entityId: '1',
    details: {},
    ...e,
  });
  const names = new Map([['2', 'Поликлиника № 2']]);

  it('region rules: each change from -> to with its label', () => {
    expect(
      describeAudit(
        entry({ details: { cutoffTime: { from: '18:00', to: '17:30' }, horizonDays: { from: 14, to: 21 } } }),
        names,
      ),
    ).toEqual({
      subject: 'Правила региона',
      changes: [
        { label: 'Время окончания отмены записи накануне визита', from: '18:00', to: '17:30' },
        { label: 'Горизонт записи, дней', from: '14', to: '21' },
      ],
      note: null,
    });
  });

  it('an organisation: its name, booleans as да/нет, no override as «как в регионе»', () => {
    expect(
      describeAudit(
        entry({
          action: 'organisation.update',
          entityType: 'organisation',
          entityId: '2',
          details: { waitlistAllowed: { from: true, to: false }, cutoffOverride: { from: null, to: '16:00' } },
        }),
        names,
      ),
    ).toEqual({
      subject: 'Настройки МО «Поликлиника № 2»',
      changes: [
        { label: 'Разрешена запись в очередь', from: 'да', to: 'нет' },
        { label: 'Своё время окончания отмены', from: 'как в регионе', to: '16:00' },
      ],
      note: null,
    });
  });

  it('an unknown organisation falls back to its number', () => {
    expect(describeAudit(entry({ action: 'organisation.update', entityId: '9' }), names).subject).toBe(
      'Настройки МО № 9',
    );
  });

  it('moderation decisions, with the reason of a rejection', () => {
    expect(
      describeAudit(
        entry({ action: 'person.reject', entityType: 'person', details: { reason: 'Неверный полис' } }),
        names,
      ),
    ).toEqual({
      subject: 'Проверка данных человека',
      changes: [{ label: 'Статус данных', from: 'на проверке', to: 'отклонены' }],
      note: 'Причина: «Неверный полис»',
    });
    expect(
      describeAudit(entry({ action: 'person.confirm', entityType: 'person', details: { reason: null } }), names)
        .changes,
    ).toEqual([{ label: 'Статус данных', from: 'на проверке', to: 'подтверждены' }]);
  });

  it.each([
    ['patient.register', { organisationId: 2 }, 'Новый пациент в картотеке клиник', 'МО «Поликлиника № 2»'],
    [
      'appointment.book',
      { organisationId: 2, role: 'registrar', slotId: 7 },
      'Запись на приём',
      'регистратура, МО «Поликлиника № 2»',
    ],
    ['appointment.book', { organisationId: 2, role: 'doctor' }, 'Запись на приём', 'врач, МО «Поликлиника № 2»'],
    [
      'appointment.cancel',
      { organisationId: 2, role: 'registrar', by: 'clinic' },
      'Отмена записи',
      'регистратура, МО «Поликлиника № 2», по решению медицинской организации',
    ],
    [
      'appointment.cancel',
      { organisationId: 9, role: 'registrar', by: 'patient' },
      'Отмена записи',
      'регистратура, по просьбе пациента',
    ],
    [
      'slot.block',
      { organisationId: 2, role: 'registrar', doctorId: 3 },
      'Время врача закрыто для записи',
      'регистратура, МО «Поликлиника № 2»',
    ],
    [
      'slot.unblock',
      { organisationId: 2, role: 'registrar', doctorId: 3, status: 'free' },
      'Время врача снова открыто для записи',
      'регистратура, МО «Поликлиника № 2»',
    ],
  ])('the desk’s %s reads in Russian (%j)', (action, details, subject, note) => {
    expect(describeAudit(entry({ action, entityType: 'appointment', details }), names)).toEqual({
      subject,
      changes: [],
      note,
    });
  });
});

describe('a clinic system’s changes in the audit log', () => {
  const entry = (e: Partial<AuditEntry>): AuditEntry => ({
    id: 1,
    at: '2026-11-25T09:00:00.000Z',
    actor: null,
    action: 'settings.update',
    entityType: 'region_settings',
    entityId: '1',
    details: {},
    ...e,
  });
  const names = new Map([['2', 'Поликлиника № 2']]);

  it('names a change made with an API key as the clinic’s information system, others as before', () => {
    expect(auditActor({ actor: null, details: { organisationId: 2, apiKeyId: 'k-1' } })).toBe(
      'информационная система МО (ключ API)',
    );
    expect(auditActor({ actor: null, details: {} })).toBe('система');
    expect(auditActor({ actor: 'admin@example.org', details: { apiKeyId: 'k-1' } })).toBe('admin@example.org');
  });

  it('reads a pushed slot list and a mapped specialty code in Russian, ids and counts only', () => {
    expect(
      describeAudit(
        entry({
          action: 'schedule_slots.push',
          entityType: 'doctor',
          entityId: '7',
          details: {
            organisationId: 2,
            apiKeyId: 'k-1',
            from: '2026-11-26',
            to: '2026-11-27',
            created: 4,
            updated: 1,
            removed: 2,
          },
        }),
        names,
      ),
    ).toEqual({
      subject: 'Расписание врача № 7 передано информационной системой МО',
      changes: [],
      note: 'даты 2026-11-26 – 2026-11-27, добавлено 4, изменено 1, убрано 2',
    });
    expect(
      describeAudit(
        entry({
          action: 'specialty_code.map',
          entityType: 'organisation',
          entityId: '2',
          details: { organisationId: 2, apiKeyId: 'k-1', code: 'TER-27', specialtyId: { from: null, to: 3 } },
        }),
        names,
      ).subject,
    ).toBe('Код специальности «TER-27» информационной системы МО сопоставлен со специальностью № 3');
  });
});
