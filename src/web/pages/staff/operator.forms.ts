// Pure helpers of the operator page: reading the forms (the same rules as the server,
// from the shared schemas) and describing audit-log entries in Russian.
import {
  organisationSettingsBody,
  regionSettings,
  type AuditEntry,
  type RegionSettings,
} from '../../../shared/api/index.js';

export type RegionKey = keyof RegionSettings;
export type RegionForm = Record<RegionKey, string>;

export const regionLabels: Record<RegionKey, string> = {
  cutoffTime: 'Время окончания отмены записи накануне визита',
  horizonDays: 'Горизонт записи, дней',
  maxPerSpecialty: 'Записей к врачам одной специальности на человека',
  holdMinutes: 'Сколько минут время закреплено за пациентом при записи',
  offerWindowHours: 'Сколько часов даётся на ответ на предложенное время',
  maxOffers: 'Сколько предложений из очереди получает человек',
};

export const organisationLabels = {
  cutoffOverride: 'Своё время окончания отмены',
  waitlistAllowed: 'Разрешена запись в очередь',
} as const;

const numberWords: Record<Exclude<RegionKey, 'cutoffTime'>, string> = {
  horizonDays: 'Введите число дней, например 14',
  maxPerSpecialty: 'Введите число записей, например 1',
  holdMinutes: 'Введите число минут, например 10',
  offerWindowHours: 'Введите число часов, например 24',
  maxOffers: 'Введите число предложений, например 3',
};

/** '9:00' -> '09:00'; other input is returned trimmed and left to the schema. */
export function normaliseTime(value: string): string {
  const v = value.trim().replace(/[.-]/, ':');
  return /^\d:\d\d$/.test(v) ? `0${v}` : v;
}

export type Parsed<T> = { ok: true; value: T } | { ok: false; fields: Record<string, string> };

function firstIssues(issues: { path: PropertyKey[]; message: string }[]): Record<string, string> {
  const fields: Record<string, string> = {};
  for (const issue of issues) {
    const key = String(issue.path[0] ?? '_');
    fields[key] ??= issue.message;
  }
  return fields;
}

export function regionFormFrom(s: RegionSettings): RegionForm {
  return {
    cutoffTime: s.cutoffTime,
    horizonDays: String(s.horizonDays),
    maxPerSpecialty: String(s.maxPerSpecialty),
    holdMinutes: String(s.holdMinutes),
    offerWindowHours: String(s.offerWindowHours),
    maxOffers: String(s.maxOffers),
  };
}

/** Reads the region form; field messages are keyed by the field name. */
export function parseRegionForm(form: RegionForm): Parsed<RegionSettings> {
  const fields: Record<string, string> = {};
  const numbers: Partial<Record<RegionKey, number>> = {};
  for (const key of ['horizonDays', 'maxPerSpecialty', 'holdMinutes', 'offerWindowHours', 'maxOffers'] as const) {
    const raw = form[key].trim();
    if (!/^\d{1,6}$/.test(raw)) fields[key] = raw === '' ? `Заполните поле «${regionLabels[key]}»` : numberWords[key];
    else numbers[key] = Number(raw);
  }
  const cutoffTime = normaliseTime(form.cutoffTime);
  if (cutoffTime === '') fields.cutoffTime = 'Введите время, например 18:00';
  const parsed = regionSettings.safeParse({
    cutoffTime,
    horizonDays: numbers.horizonDays ?? 1,
    maxPerSpecialty: numbers.maxPerSpecialty ?? 1,
    holdMinutes: numbers.holdMinutes ?? 1,
    offerWindowHours: numbers.offerWindowHours ?? 1,
    maxOffers: numbers.maxOffers ?? 1,
  });
  if (!parsed.success) {
    for (const [k, v] of Object.entries(firstIssues(parsed.error.issues))) fields[k] ??= v;
  }
  // Keep the fields in the order of the form, so the error summary reads top to bottom.
  const ordered: Record<string, string> = {};
  for (const key of Object.keys(regionLabels)) if (fields[key]) ordered[key] = fields[key];
  for (const [k, v] of Object.entries(fields)) ordered[k] ??= v;
  if (Object.keys(ordered).length > 0 || !parsed.success) return { ok: false, fields: ordered };
  return { ok: true, value: parsed.data };
}

export interface OrganisationForm {
  cutoffOverride: string;
  waitlistAllowed: boolean;
}

export function parseOrganisationForm(
  form: OrganisationForm,
): Parsed<{ waitlistAllowed: boolean; cutoffOverride: string | null }> {
  const cutoff = normaliseTime(form.cutoffOverride);
  const parsed = organisationSettingsBody.safeParse({
    waitlistAllowed: form.waitlistAllowed,
    cutoffOverride: cutoff === '' ? null : cutoff,
  });
  if (!parsed.success) return { ok: false, fields: firstIssues(parsed.error.issues) };
  return { ok: true, value: parsed.data };
}

// ---------- the audit log ----------

export interface AuditChange {
  label: string;
  from: string;
  to: string;
}

export interface AuditDescription {
  /** What was changed, e.g. «Правила региона». */
  subject: string;
  changes: AuditChange[];
  /** Extra text, e.g. the reason of a rejection. */
  note: string | null;
}

const changeLabels: Record<string, string> = {
  ...regionLabels,
  ...organisationLabels,
  offerWindowHours: 'Сколько часов даётся на ответ на предложенное время',
  maxOffers: 'Сколько раз предлагается время из очереди',
  // The catalogue's management (organisations, specialties, doctors).
  name: 'Название',
  shortName: 'Краткое название',
  address: 'Адрес',
  phone: 'Телефон регистратуры',
  timeZone: 'Часовой пояс',
  minAge: 'Возраст от',
  maxAge: 'Возраст до',
  sex: 'Пол пациентов',
  selfBooking: 'Запись без направления',
  lastName: 'Фамилия',
  firstName: 'Имя',
  middleName: 'Отчество',
  specialty: 'Специальность',
  position: 'Должность',
  room: 'Кабинет',
  active: 'Работает',
};

function showValue(key: string, v: unknown): string {
  if ((v === null || v === '') && key === 'sex') return 'любой';
  if (v === null || v === undefined || v === '') return key === 'cutoffOverride' ? 'как в регионе' : 'не задано';
  if (key === 'sex') return v === 'F' ? 'только женщины' : v === 'M' ? 'только мужчины' : String(v);
  if (typeof v === 'boolean') return v ? 'да' : 'нет';
  if (typeof v === 'string' || typeof v === 'number') return String(v);
  return JSON.stringify(v);
}

function isChange(v: unknown): v is { from: unknown; to: unknown } {
  return typeof v === 'object' && v !== null && 'from' in v && 'to' in v;
}

/** Who made a change: the staff account's e-mail, a clinic's information system (an API key), or the system itself. */
export function auditActor(entry: Pick<AuditEntry, 'actor' | 'details'>): string {
  if (entry.actor) return entry.actor;
  return typeof entry.details.apiKeyId === 'string' ? 'информационная система МО (ключ API)' : 'система';
}

export function describeAudit(entry: AuditEntry, organisationNames: ReadonlyMap<string, string>): AuditDescription {
  const changes: AuditChange[] = [];
  for (const [key, v] of Object.entries(entry.details)) {
    // A doctor's specialty is shown by name (`specialty`); its id is for programs.
    if (key === 'specialtyId') continue;
    if (isChange(v))
      changes.push({ label: changeLabels[key] ?? key, from: showValue(key, v.from), to: showValue(key, v.to) });
  }
  const reason = typeof entry.details.reason === 'string' ? entry.details.reason : null;
  switch (entry.action) {
    case 'settings.update':
      return { subject: 'Правила региона', changes, note: null };
    case 'organisation.update': {
      const name = organisationNames.get(entry.entityId);
      return { subject: name ? `Настройки МО «${name}»` : `Настройки МО № ${entry.entityId}`, changes, note: null };
    }
    case 'organisation.create': {
      const name = organisationNames.get(entry.entityId);
      return { subject: name ? `Добавлена МО «${name}»` : `Добавлена МО № ${entry.entityId}`, changes, note: null };
    }
    case 'specialty.create':
    case 'specialty.update': {
      const name =
        typeof entry.details.name === 'string'
          ? entry.details.name
          : isChange(entry.details.name)
            ? String(entry.details.name.to)
            : entry.entityId;
      return {
        subject: `${entry.action === 'specialty.create' ? 'Добавлена' : 'Изменена'} специальность «${name}»`,
        changes,
        note: null,
      };
    }
    case 'doctor.create':
    case 'doctor.update':
    case 'doctor.activate':
    case 'doctor.deactivate': {
      const who = typeof entry.details.doctor === 'string' ? entry.details.doctor : `№ ${entry.entityId}`;
      const verb = {
        'doctor.create': 'Добавлен врач',
        'doctor.update': 'Изменены данные врача',
        'doctor.activate': 'Врач снова работает',
        'doctor.deactivate': 'Врач стал неактивным',
      }[entry.action];
      return {
        subject: `${verb}: ${who}`,
        changes: entry.action === 'doctor.create' || entry.action === 'doctor.update' ? changes : [],
        note: null,
      };
    }
    case 'person.confirm':
      return {
        subject: 'Проверка данных человека',
        changes: [{ label: 'Статус данных', from: 'на проверке', to: 'подтверждены' }],
        note: null,
      };
    case 'person.reject':
      return {
        subject: 'Проверка данных человека',
        changes: [{ label: 'Статус данных', from: 'на проверке', to: 'отклонены' }],
        note: reason ? `Причина: «${reason}»` : null,
      };
    case 'apikey.issue':
    case 'apikey.revoke': {
      const label = typeof entry.details.label === 'string' ? entry.details.label : entry.entityId;
      const prefix = typeof entry.details.prefix === 'string' ? entry.details.prefix : null;
      const org = organisationNames.get(String(entry.details.organisationId));
      return {
        subject: `${entry.action === 'apikey.issue' ? 'Выпущен' : 'Отозван'} ключ API «${label}»`,
        changes: [],
        note:
          [org ? `МО «${org}»` : null, prefix ? `начало ключа ${prefix}…` : null].filter(Boolean).join(', ') || null,
      };
    }
    // The registry desk's and the doctor's actions (channels/staff.audit.ts): ids only, never the patient's data.
    case 'patient.register':
    case 'appointment.book':
    case 'appointment.cancel':
    case 'slot.block':
    case 'slot.unblock': {
      const org = organisationNames.get(String(entry.details.organisationId));
      const who = entry.details.role === 'doctor' ? 'врач' : entry.details.role === 'registrar' ? 'регистратура' : null;
      const by =
        entry.details.by === 'patient'
          ? 'по просьбе пациента'
          : entry.details.by === 'clinic'
            ? 'по решению медицинской организации'
            : null;
      const subject = {
        'patient.register': 'Новый пациент в картотеке клиник',
        'appointment.book': 'Запись на приём',
        'appointment.cancel': 'Отмена записи',
        'slot.block': 'Время врача закрыто для записи',
        'slot.unblock': 'Время врача снова открыто для записи',
      }[entry.action];
      return { subject, changes: [], note: [who, org ? `МО «${org}»` : null, by].filter(Boolean).join(', ') || null };
    }
    // A clinic's information system through the integration API (channels/integration/schedules.*): ids and counts only.
    case 'schedule_slots.push': {
      const n = (key: string) => (typeof entry.details[key] === 'number' ? entry.details[key] : 0);
      const dates =
        typeof entry.details.from === 'string' && typeof entry.details.to === 'string'
          ? `даты ${entry.details.from} – ${entry.details.to}`
          : null;
      return {
        subject: `Расписание врача № ${entry.entityId} передано информационной системой МО`,
        changes: [],
        note: [dates, `добавлено ${n('created')}`, `изменено ${n('updated')}`, `убрано ${n('removed')}`]
          .filter(Boolean)
          .join(', '),
      };
    }
    case 'specialty_code.map': {
      const code = typeof entry.details.code === 'string' ? entry.details.code : '';
      const to = isChange(entry.details.specialtyId) ? entry.details.specialtyId.to : null;
      return {
        subject: `Код специальности «${code}» информационной системы МО сопоставлен со специальностью № ${String(to)}`,
        changes: [],
        note: null,
      };
    }
    default:
      return { subject: `${entry.action} (${entry.entityType} ${entry.entityId})`, changes, note: null };
  }
}
