// «Регистратура»: find a patient by полис, СНИЛС, or surname and name (+ date of birth).
// The search goes in a POST body, never the address; results link to the patient's page
// by the opaque id. Not found: register a new patient.
import { useEffect, useRef, useState, type FormEvent } from 'react';
import { Link } from 'react-router';
import {
  patientSearchBody,
  type PatientSearchBody,
  type PatientSearchResponse,
  type StaffPatient,
} from '../../../shared/api/index.js';
import { formatSnils } from '../../../shared/validation.js';
import { api } from '../../api.js';
import { useSession } from '../../session.js';
import { Button } from '../../ui/Button.js';
import { DateParts, birthDateProblem, emptyDate, isoFromParts, type DateValue } from '../../ui/DateParts.js';
import { todayIn } from '../../ui/datetime.js';
import { ErrorSummary } from '../../ui/ErrorSummary.js';
import { Field } from '../../ui/Field.js';
import { plural } from '../../ui/format.js';
import { Page } from '../../ui/Page.js';
import { RadioChoice } from '../../ui/RadioChoice.js';
import { Notice } from '../../ui/Notice.js';
import { Forbidden, ToLogin } from '../../ui/staff/Access.js';
import { formatBirthDate, formatPolicy, fullName, sexLabel } from '../../ui/staff/format.js';
import { errorsFromApi, errorsFromFields, noErrors, type FormErrors } from '../patient/formErrors.js';
import { asApiError } from '../patient/useApiData.js';
import { TalonScan } from './TalonScan.js';

type By = PatientSearchBody['by'];

const ORDER = ['by', 'policy', 'snils', 'lastName', 'firstName', 'birthDate'];
const ordered = (fields: Record<string, string>) => {
  const out: Record<string, string> = {};
  for (const k of ORDER) if (fields[k]) out[k] = fields[k];
  for (const [k, v] of Object.entries(fields)) if (!out[k]) out[k] = v;
  return out;
};

export function PatientCard({ patient, to }: { patient: StaffPatient; to: string }) {
  return (
    <li className="card staff-queue-item">
      <h3 className="staff-queue-name">
        <Link to={to}>{fullName(patient)}</Link>
      </h3>
      <dl className="staff-facts">
        <div>
          <dt>Дата рождения</dt>
          <dd>{formatBirthDate(patient.birthDate)}</dd>
        </div>
        <div>
          <dt>Пол</dt>
          <dd>{sexLabel(patient.sex)}</dd>
        </div>
        <div>
          <dt>Полис ОМС</dt>
          <dd className="staff-nowrap">{formatPolicy(patient.policy)}</dd>
        </div>
        <div>
          <dt>СНИЛС</dt>
          <dd className="staff-nowrap">{formatSnils(patient.snils)}</dd>
        </div>
      </dl>
    </li>
  );
}

/**
 * The last search of this tab, in memory only (never the address, never storage), so that
 * «К поиску пациента» comes back to the results; kept per account, gone on reload.
 */
interface LastSearch {
  accountId: string;
  by: By;
  policy: string;
  snils: string;
  lastName: string;
  firstName: string;
  birthDate: DateValue;
  results: StaffPatient[];
}
let lastSearch: LastSearch | null = null;

export function DeskSearchPage() {
  const { account } = useSession();
  const kept = lastSearch && account && lastSearch.accountId === account.id ? lastSearch : null;
  const [by, setBy] = useState<By | null>(kept?.by ?? null);
  const [policy, setPolicy] = useState(kept?.policy ?? '');
  const [snils, setSnils] = useState(kept?.snils ?? '');
  const [lastName, setLastName] = useState(kept?.lastName ?? '');
  const [firstName, setFirstName] = useState(kept?.firstName ?? '');
  const [birthDate, setBirthDate] = useState<DateValue>(kept?.birthDate ?? emptyDate);
  const [errors, setErrors] = useState<FormErrors>(noErrors);
  const [busy, setBusy] = useState(false);
  const [results, setResults] = useState<StaffPatient[] | null>(kept?.results ?? null);
  const [auth, setAuth] = useState<401 | 403 | null>(null);
  const resultsRef = useRef<HTMLHeadingElement>(null);
  const [searchNo, setSearchNo] = useState(0);

  useEffect(() => {
    if (searchNo > 0) resultsRef.current?.focus();
  }, [searchNo]);

  if (auth === 401) return <ToLogin />;
  if (auth === 403) return <Forbidden role="registrar" />;

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const fields: Record<string, string> = {};
    let body: PatientSearchBody | null = null;
    if (by === 'policy') body = { by, policy };
    else if (by === 'snils') body = { by, snils };
    else if (by === 'name') {
      const anyDate = birthDate.day || birthDate.month || birthDate.year;
      const problem = anyDate ? birthDateProblem(birthDate, todayIn()) : null;
      if (problem) fields.birthDate = problem;
      body = { by, lastName, firstName, ...(anyDate && !problem ? { birthDate: isoFromParts(birthDate) ?? '' } : {}) };
    } else fields.by = 'Выберите, как искать пациента';
    if (body) {
      const parsed = patientSearchBody.safeParse(body);
      if (!parsed.success) {
        for (const issue of parsed.error.issues) {
          const key = String(issue.path[0] ?? 'by');
          if (!fields[key]) fields[key] = issue.message;
        }
      }
    }
    if (Object.keys(fields).length || !body) return setErrors(errorsFromFields(ordered(fields), errors));
    setBusy(true);
    try {
      const res = await api.post<PatientSearchResponse>('/api/desk/patients/search', body);
      setErrors(noErrors);
      setResults(res.patients);
      if (account && by)
        lastSearch = {
          accountId: account.id,
          by,
          policy,
          snils,
          lastName,
          firstName,
          birthDate,
          results: res.patients,
        };
      setSearchNo((n) => n + 1);
    } catch (err) {
      const a = asApiError(err);
      if (a.status === 401) return setAuth(401);
      if (a.status === 403 && a.code === 'FORBIDDEN') return setAuth(403);
      const next = errorsFromApi(err, errors);
      setErrors({ ...next, fields: ordered(next.fields) });
    } finally {
      setBusy(false);
    }
  };

  const err = errors.fields;
  return (
    <Page title="Регистратура">
      <ErrorSummary key={errors.attempt} message={errors.message} fields={err} />
      <p className="lead">Найдите пациента, чтобы посмотреть его записи, записать его к врачу или отменить запись.</p>
      <h2>Запись по талону</h2>
      <TalonScan />
      <h2>Поиск пациента</h2>
      <form className="form" noValidate onSubmit={(e) => void submit(e)} aria-label="Поиск пациента">
        <RadioChoice
          id="by"
          label="Как искать пациента"
          value={by}
          onChange={(v) => setBy(v === 'policy' || v === 'snils' || v === 'name' ? v : null)}
          error={err.by}
          options={[
            { value: 'policy', label: 'По номеру полиса ОМС' },
            { value: 'snils', label: 'По СНИЛС' },
            { value: 'name', label: 'По фамилии и имени', hint: 'Можно добавить дату рождения' },
          ]}
        />
        {by === 'policy' && (
          <Field
            name="policy"
            label="Номер полиса ОМС"
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
        )}
        {by === 'snils' && (
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
        )}
        {by === 'name' && (
          <>
            <Field
              name="lastName"
              label="Фамилия"
              hint="Полностью, как в документе"
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
              hint="Можно первые буквы"
              autoComplete="off"
              isRequired
              value={firstName}
              onChange={setFirstName}
              error={err.firstName}
              width="medium"
            />
            <DateParts
              id="birthDate"
              legend="Дата рождения (необязательно)"
              hint="Например, 27 3 1985"
              value={birthDate}
              onChange={setBirthDate}
              error={err.birthDate}
            />
          </>
        )}
        <div className="button-row">
          <Button type="submit" isPending={busy}>
            Найти пациента
          </Button>
        </div>
      </form>

      {results && (
        <section aria-labelledby="desk-results" className="staff-section">
          <h2 id="desk-results" tabIndex={-1} ref={resultsRef}>
            {results.length === 0
              ? 'Пациент не найден'
              : `Найдено: ${results.length} ${plural(results.length, ['пациент', 'пациента', 'пациентов'])}`}
          </h2>
          {results.length === 0 ? (
            <Notice>
              <p>Проверьте данные и найдите ещё раз. Если пациента нет в регистре, зарегистрируйте его.</p>
            </Notice>
          ) : (
            <ul className="list-plain staff-queue">
              {results.map((p) => (
                <PatientCard key={p.patientId} patient={p} to={`/desk/patients/${encodeURIComponent(p.patientId)}`} />
              ))}
            </ul>
          )}
        </section>
      )}

      <h2>Пациента нет в регистре?</h2>
      <p>
        <Link to="/desk/patients/new">Зарегистрировать нового пациента</Link>
      </p>
      <p>
        <Link to="/desk/schedules">Расписание врачей: закрыть или открыть время</Link>
      </p>
    </Page>
  );
}
