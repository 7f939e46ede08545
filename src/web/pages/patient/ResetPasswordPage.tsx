// The link from the password letter: a new password twice.
import { useState, type FormEvent } from 'react';
import { Link, useSearchParams } from 'react-router';
import { api } from '../../api.js';
import { Button } from '../../ui/Button.js';
import { ErrorSummary } from '../../ui/ErrorSummary.js';
import { Field } from '../../ui/Field.js';
import { Notice } from '../../ui/Notice.js';
import { Page } from '../../ui/Page.js';
import { errorsFromApi, errorsFromFields, noErrors, type FormErrors } from './formErrors.js';
import { newPasswordProblems, PASSWORD_RULE } from './newPassword.js';
import { asApiError } from './useApiData.js';

export function ResetPasswordPage() {
  const [params] = useSearchParams();
  const token = params.get('token') ?? '';
  const [password, setPassword] = useState('');
  const [repeat, setRepeat] = useState('');
  const [errors, setErrors] = useState<FormErrors>(noErrors);
  const [tokenBad, setTokenBad] = useState(token.length < 10);
  const [busy, setBusy] = useState(false);
  const [done, setDone] = useState(false);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const fields = newPasswordProblems(password, repeat);
    if (Object.keys(fields).length) return setErrors(errorsFromFields(fields, errors));
    setBusy(true);
    try {
      await api.post('/api/auth/reset', { token, password });
      setDone(true);
    } catch (err) {
      if (asApiError(err).code === 'TOKEN_INVALID') setTokenBad(true);
      else setErrors(errorsFromApi(err, errors));
    } finally {
      setBusy(false);
    }
  };

  if (done) {
    return (
      <Page title="Пароль изменён">
        <Notice kind="success" title="Новый пароль сохранён">
          <p>Войдите с новым паролем. На других устройствах вход нужно выполнить заново.</p>
        </Notice>
        <p>
          <Link to="/login">Войти</Link>
        </p>
      </Page>
    );
  }
  if (tokenBad) {
    return (
      <Page title="Ссылка не работает">
        <ErrorSummary message="Ссылка недействительна или устарела. Запросите новую." />
        <p>
          <Link to="/forgot-password">Запросить новую ссылку</Link>
        </p>
      </Page>
    );
  }
  return (
    <Page title="Новый пароль">
      <ErrorSummary key={errors.attempt} message={errors.message} fields={errors.fields} />
      <form className="form" noValidate onSubmit={(e) => void submit(e)}>
        <Field
          name="password"
          label="Новый пароль"
          hint={PASSWORD_RULE}
          type="password"
          autoComplete="new-password"
          isRequired
          value={password}
          onChange={setPassword}
          error={errors.fields.password}
        />
        <Field
          name="passwordRepeat"
          label="Повторите новый пароль"
          type="password"
          autoComplete="new-password"
          isRequired
          value={repeat}
          onChange={setRepeat}
          error={errors.fields.passwordRepeat}
        />
        <div className="button-row">
          <Button type="submit" isPending={busy}>
            Сохранить пароль
          </Button>
        </div>
      </form>
    </Page>
  );
}
