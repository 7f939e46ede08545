// Personal data of a person in the card file: the same form for the account holder
// (/profile), an added person (/cardfile/add) and a correction (/cardfile/:id/edit).
import { useState, type FormEvent } from 'react';
import type { Person, PersonInput } from '../../../shared/api/index.js';
import { isValidSnils, normaliseDigits } from '../../../shared/validation.js';
import { Button } from '../../ui/Button.js';
import { DateParts, birthDateProblem, isoFromParts, partsFromIso, type DateValue } from '../../ui/DateParts.js';
import { todayIn } from '../../ui/datetime.js';
import { ErrorSummary } from '../../ui/ErrorSummary.js';
import { Field } from '../../ui/Field.js';
import { RadioChoice } from '../../ui/RadioChoice.js';
import { errorsFromApi, errorsFromFields, noErrors, type FormErrors } from './formErrors.js';

const ORDER = ['lastName', 'firstName', 'middleName', 'birthDate', 'sex', 'snils', 'policy', 'phone'];

function ordered(fields: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const k of ORDER) if (fields[k]) out[k] = fields[k];
  for (const [k, v] of Object.entries(fields)) if (!out[k]) out[k] = v;
  return out;
}

interface Values {
  lastName: string;
  firstName: string;
  middleName: string;
  birthDate: DateValue;
  sex: 'M' | 'F' | null;
  snils: string;
  policy: string;
  phone: string;
}

function initialValues(p?: Person | null): Values {
  return {
    lastName: p?.lastName ?? '',
    firstName: p?.firstName ?? '',
    middleName: p?.middleName ?? '',
    birthDate: partsFromIso(p?.birthDate),
    sex: p?.sex ?? null,
    snils: p?.snils ?? '',
    policy: p?.policy ?? '',
    phone: p?.phone ?? '',
  };
}

/** Checks done in the browser before sending; the server checks everything again. */
function clientProblems(v: Values): Record<string, string> {
  const f: Record<string, string> = {};
  if (!v.lastName.trim()) f.lastName = 'Введите фамилию';
  if (!v.firstName.trim()) f.firstName = 'Введите имя';
  const date = birthDateProblem(v.birthDate, todayIn());
  if (date) f.birthDate = date;
  if (!v.sex) f.sex = 'Укажите пол';
  const snils = normaliseDigits(v.snils);
  if (!snils) f.snils = 'Введите СНИЛС';
  else if (!/^\d{11}$/.test(snils)) f.snils = 'СНИЛС состоит из 11 цифр';
  else if (!isValidSnils(snils)) f.snils = 'Проверьте СНИЛС: контрольное число не совпадает';
  const policy = normaliseDigits(v.policy);
  if (!policy) f.policy = 'Введите номер полиса ОМС';
  else if (!/^\d{16}$/.test(policy)) f.policy = 'Номер полиса ОМС состоит из 16 цифр';
  return f;
}

export function PersonForm({
  initial,
  submitLabel,
  onSubmit,
}: {
  initial?: Person | null;
  submitLabel: string;
  /** Sends the data; throws ApiError on refusal (its `fields` are shown next to the inputs). */
  onSubmit(input: PersonInput): Promise<void>;
}) {
  const [v, setV] = useState<Values>(() => initialValues(initial));
  const [errors, setErrors] = useState<FormErrors>(noErrors);
  const [busy, setBusy] = useState(false);
  const set =
    <K extends keyof Values>(key: K) =>
    (value: Values[K]) =>
      setV((old) => ({ ...old, [key]: value }));

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const problems = clientProblems(v);
    if (Object.keys(problems).length) return setErrors(errorsFromFields(ordered(problems), errors));
    setBusy(true);
    try {
      await onSubmit({
        lastName: v.lastName.trim(),
        firstName: v.firstName.trim(),
        middleName: v.middleName.trim() || undefined,
        birthDate: isoFromParts(v.birthDate) ?? '',
        sex: v.sex ?? 'M',
        snils: v.snils,
        policy: v.policy,
        phone: v.phone.trim() || undefined,
      });
    } catch (err) {
      const next = errorsFromApi(err, errors);
      setErrors({ ...next, fields: ordered(next.fields) });
      setBusy(false);
    }
  };

  const err = errors.fields;
  return (
    <>
      <ErrorSummary key={errors.attempt} message={errors.message} fields={err} />
      <form className="form" noValidate onSubmit={(e) => void submit(e)}>
        <Field
          name="lastName"
          label="Фамилия"
          autoComplete="family-name"
          isRequired
          value={v.lastName}
          onChange={set('lastName')}
          error={err.lastName}
          width="medium"
        />
        <Field
          name="firstName"
          label="Имя"
          autoComplete="given-name"
          isRequired
          value={v.firstName}
          onChange={set('firstName')}
          error={err.firstName}
          width="medium"
        />
        <Field
          name="middleName"
          label="Отчество"
          hint="Если есть"
          autoComplete="additional-name"
          value={v.middleName}
          onChange={set('middleName')}
          error={err.middleName}
          width="medium"
        />
        <DateParts
          id="birthDate"
          legend="Дата рождения"
          hint="Например, 27 3 1985"
          value={v.birthDate}
          onChange={set('birthDate')}
          error={err.birthDate}
          autoCompletePrefix="bday"
        />
        <RadioChoice
          id="sex"
          label="Пол"
          inline
          value={v.sex}
          onChange={(s) => set('sex')(s === 'F' ? 'F' : 'M')}
          error={err.sex}
          options={[
            { value: 'M', label: 'Мужской' },
            { value: 'F', label: 'Женский' },
          ]}
        />
        <Field
          name="snils"
          label="СНИЛС"
          hint="11 цифр, например 112-233-445 95"
          inputMode="numeric"
          autoComplete="off"
          isRequired
          maxLength={14}
          value={v.snils}
          onChange={set('snils')}
          error={err.snils}
          width="short"
        />
        <Field
          name="policy"
          label="Полис ОМС"
          hint="16 цифр, номер полиса обязательного медицинского страхования"
          inputMode="numeric"
          autoComplete="off"
          isRequired
          maxLength={19}
          value={v.policy}
          onChange={set('policy')}
          error={err.policy}
          width="medium"
        />
        <Field
          name="phone"
          label="Телефон"
          hint="Например, +7 900 000-00-00"
          type="tel"
          inputMode="tel"
          autoComplete="tel"
          value={v.phone}
          onChange={set('phone')}
          error={err.phone}
          width="medium"
        />
        <div className="button-row">
          <Button type="submit" isPending={busy}>
            {submitLabel}
          </Button>
        </div>
      </form>
    </>
  );
}
