// «Новый пациент»: the desk registers a patient who was not found (ФИО, date of birth, sex,
// СНИЛС with its checksum, полис). Afterwards the patient's page, ready to book.
import { useState, type FormEvent } from 'react';
import { Link, useNavigate } from 'react-router';
import type { RegisterPatientBody, StaffPatient } from '../../../shared/api/index.js';
import { isValidSnils, normaliseDigits } from '../../../shared/validation.js';
import { api } from '../../api.js';
import { Button } from '../../ui/Button.js';
import { DateParts, birthDateProblem, emptyDate, isoFromParts, type DateValue } from '../../ui/DateParts.js';
import { todayIn } from '../../ui/datetime.js';
import { ErrorSummary } from '../../ui/ErrorSummary.js';
import { Field } from '../../ui/Field.js';
import { Page } from '../../ui/Page.js';
import { RadioChoice } from '../../ui/RadioChoice.js';
import { Forbidden, ToLogin } from '../../ui/staff/Access.js';
import { fullName } from '../../ui/staff/format.js';
import { errorsFromApi, errorsFromFields, noErrors, type FormErrors } from '../patient/formErrors.js';
import { asApiError } from '../patient/useApiData.js';

const ORDER = ['lastName', 'firstName', 'middleName', 'birthDate', 'sex', 'snils', 'policy'];
const ordered = (fields: Record<string, string>) => {
  const out: Record<string, string> = {};
  for (const k of ORDER) if (fields[k]) out[k] = fields[k];
  for (const [k, v] of Object.entries(fields)) if (!out[k]) out[k] = v;
  return out;
};

/** What the patient page shows after a registration (router state). */
export interface RegisteredNotice {
  registered: string;
}

export function DeskRegisterPage() {
  const navigate = useNavigate();
  const [lastName, setLastName] = useState('');
  const [firstName, setFirstName] = useState('');
  const [middleName, setMiddleName] = useState('');
  const [birthDate, setBirthDate] = useState<DateValue>(emptyDate);
  const [sex, setSex] = useState<'M' | 'F' | null>(null);
  const [snils, setSnils] = useState('');
  const [policy, setPolicy] = useState('');
  const [errors, setErrors] = useState<FormErrors>(noErrors);
  const [busy, setBusy] = useState(false);
  const [auth, setAuth] = useState<401 | 403 | null>(null);

  if (auth === 401) return <ToLogin />;
  if (auth === 403) return <Forbidden role="registrar" />;

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const f: Record<string, string> = {};
    if (!lastName.trim()) f.lastName = 'Введите фамилию';
    if (!firstName.trim()) f.firstName = 'Введите имя';
    const date = birthDateProblem(birthDate, todayIn());
    if (date) f.birthDate = date;
    if (!sex) f.sex = 'Укажите пол';
    const s = normaliseDigits(snils);
    if (!s) f.snils = 'Введите СНИЛС';
    else if (!/^\d{11}$/.test(s)) f.snils = 'СНИЛС состоит из 11 цифр';
    else if (!isValidSnils(s)) f.snils = 'Проверьте СНИЛС: контрольное число не совпадает';
    const p = normaliseDigits(policy);
    if (!p) f.policy = 'Введите номер полиса ОМС';
    else if (!/^\d{16}$/.test(p)) f.policy = 'Номер полиса ОМС состоит из 16 цифр';
    if (Object.keys(f).length) return setErrors(errorsFromFields(ordered(f), errors));
    const body: RegisterPatientBody = {
      lastName: lastName.trim(),
      firstName: firstName.trim(),
      middleName: middleName.trim() || undefined,
      birthDate: isoFromParts(birthDate) ?? '',
      sex: sex ?? 'M',
      snils: s,
      policy: p,
    };
    setBusy(true);
    try {
      const created = await api.post<StaffPatient>('/api/desk/patients', body);
      const notice: RegisteredNotice = { registered: fullName(created) };
      void navigate(`/desk/patients/${encodeURIComponent(created.patientId)}`, { state: notice });
    } catch (err) {
      const a = asApiError(err);
      if (a.status === 401) return setAuth(401);
      if (a.status === 403 && a.code === 'FORBIDDEN') return setAuth(403);
      const next = errorsFromApi(err, errors);
      setErrors({ ...next, fields: ordered(next.fields) });
      setBusy(false);
    }
  };

  const err = errors.fields;
  return (
    <Page title="Новый пациент" back={{ to: '/desk', label: 'К поиску пациента' }}>
      <ErrorSummary key={errors.attempt} message={errors.message} fields={err} />
      <p className="lead">
        Сверьте данные с паспортом, СНИЛС и полисом ОМС. Пациент будет добавлен в регистр медицинских организаций, его
        можно сразу записать к врачу.
      </p>
      {errors.message && (
        <p>
          <Link to="/desk">Найти пациента</Link>
        </p>
      )}
      <form className="form" noValidate onSubmit={(e) => void submit(e)} aria-label="Данные нового пациента">
        <Field
          name="lastName"
          label="Фамилия"
          autoComplete="off"
          isRequired
          value={lastName}
          onChange={setLastName}
          error={err.lastName}
          width="medium"
        />
        <Field
          name="firstName"
          label="Имя"
          autoComplete="off"
          isRequired
          value={firstName}
          onChange={setFirstName}
          error={err.firstName}
          width="medium"
        />
        <Field
          name="middleName"
          label="Отчество"
          hint="Если есть"
          autoComplete="off"
          value={middleName}
          onChange={setMiddleName}
          error={err.middleName}
          width="medium"
        />
        <DateParts
          id="birthDate"
          legend="Дата рождения"
          hint="Например, 27 3 1985"
          value={birthDate}
          onChange={setBirthDate}
          error={err.birthDate}
        />
        <RadioChoice
          id="sex"
          label="Пол"
          inline
          value={sex}
          onChange={(v) => setSex(v === 'F' ? 'F' : 'M')}
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
          value={snils}
          onChange={setSnils}
          error={err.snils}
          width="short"
        />
        <Field
          name="policy"
          label="Полис ОМС"
          hint="16 цифр"
          inputMode="numeric"
          autoComplete="off"
          isRequired
          maxLength={19}
          value={policy}
          onChange={setPolicy}
          error={err.policy}
          width="medium"
        />
        <div className="button-row">
          <Button type="submit" isPending={busy}>
            Зарегистрировать пациента
          </Button>
        </div>
      </form>
    </Page>
  );
}
