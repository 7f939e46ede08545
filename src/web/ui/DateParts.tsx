// A date asked the GOV.UK way: three short fields (день, месяц, год) in one fieldset.
// The value is 'YYYY-MM-DD' when complete, else the raw parts joined with '-' so the
// caller can tell what is missing (see dateFromParts / dateProblem).
import { useId } from 'react';

export interface DateValue {
  day: string;
  month: string;
  year: string;
}

export const emptyDate: DateValue = { day: '', month: '', year: '' };

/** '1985-03-07' -> parts; anything else -> empty parts. */
export function partsFromIso(iso: string | null | undefined): DateValue {
  const m = iso?.match(/^(\d{4})-(\d{2})-(\d{2})$/);
  if (!m) return emptyDate;
  return { year: m[1], month: String(Number(m[2])), day: String(Number(m[3])) };
}

/** Parts -> 'YYYY-MM-DD' when they make a real date, else null. */
export function isoFromParts(v: DateValue): string | null {
  if (!/^\d{1,2}$/.test(v.day.trim()) || !/^\d{1,2}$/.test(v.month.trim()) || !/^\d{4}$/.test(v.year.trim()))
    return null;
  const d = Number(v.day);
  const m = Number(v.month);
  const y = Number(v.year);
  const date = new Date(Date.UTC(y, m - 1, d));
  if (date.getUTCFullYear() !== y || date.getUTCMonth() !== m - 1 || date.getUTCDate() !== d) return null;
  return `${y}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
}

/** The problem with a date of birth in Russian, or null. `today` is 'YYYY-MM-DD'. */
export function birthDateProblem(v: DateValue, today: string): string | null {
  const filled = [v.day, v.month, v.year].filter((p) => p.trim() !== '').length;
  if (filled === 0) return 'Введите дату рождения';
  if (filled < 3) return 'Дата рождения должна содержать день, месяц и год';
  const iso = isoFromParts(v);
  if (!iso) return 'Дата рождения должна быть настоящей датой, например 27 3 1985';
  if (iso > today) return 'Дата рождения должна быть в прошлом';
  if (iso < '1900-01-01') return 'Проверьте год рождения';
  return null;
}

export function DateParts({
  id,
  legend,
  hint,
  error,
  value,
  onChange,
  autoCompletePrefix,
}: {
  /** Id of the day input: the target of the error summary's link. */
  id: string;
  legend: string;
  hint?: string;
  error?: string;
  value: DateValue;
  onChange(v: DateValue): void;
  /** e.g. 'bday' to let browsers fill a birth date. */
  autoCompletePrefix?: string;
}) {
  const uid = useId();
  const hintId = `${uid}-hint`;
  const errorId = `${uid}-error`;
  const describedBy = [hint ? hintId : null, error ? errorId : null].filter(Boolean).join(' ') || undefined;
  const part = (key: keyof DateValue, label: string, width: string, maxLength: number, auto?: string) => (
    <div className="date-part">
      <label htmlFor={key === 'day' ? id : `${id}-${key}`}>{label}</label>
      <input
        id={key === 'day' ? id : `${id}-${key}`}
        className={`input date-input date-input-${width}`}
        inputMode="numeric"
        autoComplete={autoCompletePrefix && auto ? `${autoCompletePrefix}-${auto}` : 'off'}
        maxLength={maxLength}
        value={value[key]}
        aria-invalid={error ? true : undefined}
        onChange={(e) => onChange({ ...value, [key]: e.target.value.replace(/[^\d]/g, '') })}
      />
    </div>
  );
  return (
    <fieldset className={`field${error ? ' field-invalid' : ''}`} aria-describedby={describedBy}>
      <legend>{legend}</legend>
      {hint && (
        <div className="hint" id={hintId}>
          {hint}
        </div>
      )}
      {error && (
        <div className="field-error" id={errorId}>
          {error}
        </div>
      )}
      <div className="date-parts">
        {part('day', 'День', 'short', 2, 'day')}
        {part('month', 'Месяц', 'short', 2, 'month')}
        {part('year', 'Год', 'long', 4, 'year')}
      </div>
    </fieldset>
  );
}
