// «Забыли пароль?»: asks for the address and always answers the same way.
import { useState, type FormEvent } from 'react';
import { Link } from 'react-router';
import { api } from '../../api.js';
import { Button } from '../../ui/Button.js';
import { ErrorSummary } from '../../ui/ErrorSummary.js';
import { Field } from '../../ui/Field.js';
import { Page } from '../../ui/Page.js';
import { DevMailNote } from './DevMailNote.js';
import { errorsFromApi, errorsFromFields, noErrors, type FormErrors } from './formErrors.js';

export function ForgotPasswordPage() {
  const [email, setEmail] = useState('');
  const [errors, setErrors] = useState<FormErrors>(noErrors);
  const [busy, setBusy] = useState(false);
  const [sent, setSent] = useState(false);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (!email.trim()) return setErrors(errorsFromFields({ email: 'Введите адрес электронной почты' }, errors));
    setBusy(true);
    try {
      await api.post('/api/auth/forgot', { email: email.trim() });
      setSent(true);
    } catch (err) {
      setErrors(errorsFromApi(err, errors));
    } finally {
      setBusy(false);
    }
  };

  if (sent) {
    return (
      <Page title="Проверьте почту">
        <p>
          Если адрес <strong>{email.trim()}</strong> зарегистрирован на портале, мы отправили на него письмо со ссылкой
          для смены пароля. Ссылка действует 1 час.
        </p>
        <DevMailNote />
        <p>
          <Link to="/login">Вернуться ко входу</Link>
        </p>
      </Page>
    );
  }
  return (
    <Page title="Восстановление пароля" back={{ to: '/login', label: 'Назад ко входу' }}>
      <ErrorSummary key={errors.attempt} message={errors.message} fields={errors.fields} />
      <p>Укажите адрес, с которым вы регистрировались. Мы пришлём ссылку для смены пароля.</p>
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
        <div className="button-row">
          <Button type="submit" isPending={busy}>
            Отправить ссылку
          </Button>
        </div>
      </form>
    </Page>
  );
}
