// «Регистрация»: e-mail and a password twice; then a page saying a letter was sent
// (never whether the address was already registered).
import { useState, type FormEvent } from 'react';
import { Link } from 'react-router';
import { api } from '../../api.js';
import { Button } from '../../ui/Button.js';
import { ErrorSummary } from '../../ui/ErrorSummary.js';
import { Field } from '../../ui/Field.js';
import { Page } from '../../ui/Page.js';
import { EsiaLoginButton } from '../esia/EsiaLoginButton.js';
import { DevMailNote } from './DevMailNote.js';
import { errorsFromApi, errorsFromFields, noErrors, type FormErrors } from './formErrors.js';
import { newPasswordProblems, PASSWORD_RULE } from './newPassword.js';

export function SignupPage() {
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [repeat, setRepeat] = useState('');
  const [errors, setErrors] = useState<FormErrors>(noErrors);
  const [busy, setBusy] = useState(false);
  const [sentTo, setSentTo] = useState<string | null>(null);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const fields = newPasswordProblems(password, repeat);
    if (!email.trim()) fields.email = 'Введите адрес электронной почты';
    if (Object.keys(fields).length) {
      // Keep the order of the form in the summary.
      const ordered: Record<string, string> = {};
      for (const k of ['email', 'password', 'passwordRepeat']) if (fields[k]) ordered[k] = fields[k];
      return setErrors(errorsFromFields(ordered, errors));
    }
    setBusy(true);
    try {
      await api.post('/api/auth/signup', { email: email.trim(), password });
      setSentTo(email.trim());
    } catch (err) {
      setErrors(errorsFromApi(err, errors));
    } finally {
      setBusy(false);
    }
  };

  if (sentTo) {
    return (
      <Page title="Проверьте почту">
        <p>
          Мы отправили письмо на адрес <strong>{sentTo}</strong>. Перейдите по ссылке из письма, чтобы подтвердить адрес
          и продолжить регистрацию. Ссылка действует 24 часа.
        </p>
        <p>Если письма нет, проверьте папку «Спам» или зарегистрируйтесь ещё раз через несколько минут.</p>
        <DevMailNote />
        <p>
          <Link to="/login">Войти</Link>, если адрес уже подтверждён.
        </p>
      </Page>
    );
  }

  return (
    <Page title="Регистрация">
      <ErrorSummary key={errors.attempt} message={errors.message} fields={errors.fields} />
      <p>Зарегистрируйтесь по адресу электронной почты, чтобы записываться к врачу.</p>
      <form className="form" noValidate onSubmit={(e) => void submit(e)}>
        <Field
          name="email"
          label="Адрес электронной почты"
          hint="На этот адрес придёт письмо со ссылкой для подтверждения"
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
          label="Повторите пароль"
          type="password"
          autoComplete="new-password"
          isRequired
          value={repeat}
          onChange={setRepeat}
          error={errors.fields.passwordRepeat}
        />
        <div className="button-row">
          <Button type="submit" isPending={busy}>
            Зарегистрироваться
          </Button>
        </div>
      </form>
      <EsiaLoginButton next="/cardfile" />
      <p>
        Уже зарегистрированы? <Link to="/login">Войти</Link>
      </p>
    </Page>
  );
}
