// «Вход»: e-mail and password; afterwards back to `next`, or to the account's home.
import { useState, type FormEvent } from 'react';
import { Link, useNavigate, useSearchParams } from 'react-router';
import { api } from '../../api.js';
import { useSession } from '../../session.js';
import { Button } from '../../ui/Button.js';
import { ErrorSummary } from '../../ui/ErrorSummary.js';
import { Field } from '../../ui/Field.js';
import { Page } from '../../ui/Page.js';
import { EsiaLoginButton } from '../esia/EsiaLoginButton.js';
import { homeFor, safeNext } from './auth.js';
import type { LoginResponse } from './endpoints.js';
import { errorsFromApi, errorsFromFields, noErrors, type FormErrors } from './formErrors.js';

export function LoginPage() {
  const [params] = useSearchParams();
  const next = safeNext(params.get('next'));
  const { account, refresh } = useSession();
  const navigate = useNavigate();
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [errors, setErrors] = useState<FormErrors>(noErrors);
  const [busy, setBusy] = useState(false);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const fields: Record<string, string> = {};
    if (!email.trim()) fields.email = 'Введите адрес электронной почты';
    if (!password) fields.password = 'Введите пароль';
    if (Object.keys(fields).length) return setErrors(errorsFromFields(fields, errors));
    setBusy(true);
    try {
      await api.post<LoginResponse>('/api/auth/login', { email: email.trim(), password });
      const acc = await refresh();
      void navigate(next ?? (acc ? homeFor(acc) : '/'), { replace: true });
    } catch (err) {
      setErrors(errorsFromApi(err, errors));
      setBusy(false);
    }
  };

  if (account && !busy) {
    return (
      <Page title="Вы уже вошли">
        <p>{account.email ? `Вы вошли как ${account.email}.` : 'Вы вошли через Госуслуги.'}</p>
        <p>
          <Link to={next ?? homeFor(account)}>Продолжить</Link>
        </p>
      </Page>
    );
  }

  return (
    <Page title="Вход в личный кабинет">
      <ErrorSummary key={errors.attempt} message={errors.message} fields={errors.fields} />
      {next && <p>Войдите, чтобы продолжить.</p>}
      <form className="form" noValidate onSubmit={(e) => void submit(e)}>
        <Field
          name="email"
          label="Адрес электронной почты"
          type="email"
          autoComplete="email"
          inputMode="email"
          isRequired
          value={email}
          onChange={setEmail}
          error={errors.fields.email}
        />
        <Field
          name="password"
          label="Пароль"
          type="password"
          autoComplete="current-password"
          isRequired
          value={password}
          onChange={setPassword}
          error={errors.fields.password}
        />
        <div className="button-row">
          <Button type="submit" isPending={busy}>
            Войти
          </Button>
          <Link to="/forgot-password">Забыли пароль?</Link>
        </div>
      </form>
      <EsiaLoginButton next={next} />
      <h2>Нет учётной записи?</h2>
      <p>
        <Link to="/signup">Зарегистрироваться</Link> по адресу электронной почты.
      </p>
    </Page>
  );
}
