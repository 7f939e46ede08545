// «Завершение регистрации»: the first sign-in through ЕСИА. ЕСИА's data is shown read-only;
// the person adds the полис ОМС (ЕСИА has none) and the СНИЛС when ЕСИА had none.
import { useState, type FormEvent } from 'react';
import { Link, useNavigate } from 'react-router';
import type { SessionResponse } from '../../../shared/api/index.js';
import type { EsiaRegistration } from '../../../shared/api/esia.js';
import { formatSnils, isValidSnils, normaliseDigits } from '../../../shared/validation.js';
import { api } from '../../api.js';
import { useSession } from '../../session.js';
import { Button } from '../../ui/Button.js';
import { ErrorSummary } from '../../ui/ErrorSummary.js';
import { Field } from '../../ui/Field.js';
import { formatDate } from '../../ui/format.js';
import { Notice } from '../../ui/Notice.js';
import { Page } from '../../ui/Page.js';
import { SummaryList } from '../../ui/SummaryList.js';
import { MODERATION_FLASH } from '../patient/flash.js';
import { errorsFromApi, errorsFromFields, noErrors, type FormErrors } from '../patient/formErrors.js';
import { LoadState, useApiData } from '../patient/useApiData.js';

function Form({ data }: { data: EsiaRegistration }) {
  const { refresh } = useSession();
  const navigate = useNavigate();
  const [policy, setPolicy] = useState('');
  const [snils, setSnils] = useState('');
  const [errors, setErrors] = useState<FormErrors>(noErrors);
  const [busy, setBusy] = useState(false);
  const askSnils = data.snils === null;
  const willWait = !data.confirmed;

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const fields: Record<string, string> = {};
    const p = normaliseDigits(policy);
    if (!p) fields.policy = 'Введите номер полиса ОМС';
    else if (!/^\d{16}$/.test(p)) fields.policy = 'Номер полиса ОМС состоит из 16 цифр';
    if (askSnils) {
      const s = normaliseDigits(snils);
      if (!s) fields.snils = 'Введите СНИЛС';
      else if (!/^\d{11}$/.test(s)) fields.snils = 'СНИЛС состоит из 11 цифр';
      else if (!isValidSnils(s)) fields.snils = 'Проверьте СНИЛС: контрольное число не совпадает';
    }
    if (Object.keys(fields).length) return setErrors(errorsFromFields(fields, errors));
    setBusy(true);
    try {
      await api.post<SessionResponse>('/api/esia/registration', askSnils ? { policy, snils } : { policy });
      await refresh();
      void navigate('/cardfile', { replace: true, state: willWait ? MODERATION_FLASH : undefined });
    } catch (err) {
      setErrors(errorsFromApi(err, errors));
      setBusy(false);
    }
  };

  const name = [data.lastName, data.firstName, data.middleName].filter(Boolean).join(' ');
  return (
    <>
      <ErrorSummary key={errors.attempt} message={errors.message} fields={errors.fields} />
      <p>
        {data.existingAccount
          ? 'Госуслуги привязаны к вашему личному кабинету. Осталось указать полис ОМС — его нет на Госуслугах.'
          : 'Вы впервые вошли через Госуслуги. Проверьте данные и укажите полис ОМС — его нет на Госуслугах.'}
      </p>
      <h2>Данные с Госуслуг</h2>
      <SummaryList
        rows={[
          { key: 'ФИО', value: name },
          { key: 'Дата рождения', value: formatDate(data.birthDate) },
          { key: 'Пол', value: data.sex === 'F' ? 'женский' : 'мужской' },
          { key: 'СНИЛС', value: data.snils ? formatSnils(data.snils) : 'нет на Госуслугах' },
          ...(data.email ? [{ key: 'Электронная почта', value: data.email }] : []),
        ]}
      />
      <p className="hint">Эти данные изменяются только на Госуслугах.</p>
      {willWait && (
        <Notice kind="warning" title="Данные проверит модератор">
          <p>
            {askSnils
              ? 'На Госуслугах нет вашего СНИЛС, поэтому модератор проверит данные, прежде чем станет доступна запись к врачу.'
              : 'Ваша учётная запись на Госуслугах не подтверждена, поэтому модератор проверит данные, прежде чем станет доступна запись к врачу.'}
          </p>
        </Notice>
      )}
      <form className="form" noValidate onSubmit={(e) => void submit(e)}>
        {askSnils && (
          <Field
            name="snils"
            label="СНИЛС"
            hint="11 цифр, например 123-456-789 01"
            inputMode="numeric"
            isRequired
            value={snils}
            onChange={setSnils}
            error={errors.fields.snils}
            width="medium"
          />
        )}
        <Field
          name="policy"
          label="Номер полиса ОМС"
          hint="16 цифр, указан на полисе или в выписке из него"
          inputMode="numeric"
          isRequired
          value={policy}
          onChange={setPolicy}
          error={errors.fields.policy}
          width="medium"
        />
        <div className="button-row">
          <Button type="submit" isPending={busy}>
            Завершить регистрацию
          </Button>
        </div>
      </form>
    </>
  );
}

export function EsiaRegisterPage() {
  const state = useApiData<EsiaRegistration>('/api/esia/registration');
  return (
    <Page title="Завершение регистрации">
      {state.error ? (
        <>
          <ErrorSummary message={state.error.message} />
          <p>
            <a href="/api/esia/start">Войти через Госуслуги ещё раз</a> или{' '}
            <Link to="/login">войти по адресу электронной почты</Link>.
          </p>
        </>
      ) : state.data ? (
        <Form data={state.data} />
      ) : (
        <LoadState state={state} />
      )}
    </Page>
  );
}
