// «Удалить учётную запись»: what happens, then the password (an account made through Госуслуги
// without one: a sign-in through Госуслуги in the last 15 minutes). Refused while a visit is
// booked ahead: the holder cancels it first, as on Госуслуги and in ЕМИАС.
import { useState, type FormEvent } from 'react';
import { Link } from 'react-router';
import { api } from '../../api.js';
import { useSession } from '../../session.js';
import { Button } from '../../ui/Button.js';
import { ErrorSummary } from '../../ui/ErrorSummary.js';
import { Field } from '../../ui/Field.js';
import { Page } from '../../ui/Page.js';
import { errorsFromApi, noErrors, type FormErrors } from '../patient/formErrors.js';

export function DeleteAccountPage() {
  const { account } = useSession();
  // Signed in with a password, the account has one: it is asked for. Through ЕСИА it may have none.
  const byPassword = account?.authMethod === 'password';
  const [password, setPassword] = useState('');
  const [errors, setErrors] = useState<FormErrors>(noErrors);
  const [busy, setBusy] = useState(false);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    try {
      await api.post('/api/account/delete', password ? { password } : {});
      // A fresh load of the portal: nothing of the deleted account stays in this tab's memory,
      // and no signed-in page is left to notice the session is gone and ask to sign in.
      window.location.assign('/account-deleted');
    } catch (err) {
      setErrors(errorsFromApi(err, errors));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Page title="Удалить учётную запись" back={{ to: '/profile/data', label: 'Мои данные' }}>
      <ErrorSummary key={errors.attempt} message={errors.message} fields={errors.fields} />
      <p>После удаления:</p>
      <ul>
        <li>войти в личный кабинет будет нельзя, все сеансы входа завершатся;</li>
        <li>
          с портала удалятся адрес электронной почты, пароль, привязка к Госуслугам, данные всех людей картотеки,
          уведомления, письма и подписки на push-уведомления; записи в очередь будут отозваны;
        </li>
        <li>
          прошедшие визиты останутся в медицинских организациях как медицинские документы (этого требует закон), но без
          ваших персональных данных на портале.
        </li>
      </ul>
      <p>
        Если есть предстоящие визиты, сначала отмените их в <Link to="/cardfile">«Моей картотеке»</Link>. Перед
        удалением можно <a href="/api/account/data/download">скачать свои данные</a>.
      </p>
      <form className="form" noValidate onSubmit={(e) => void submit(e)}>
        <Field
          name="password"
          label="Пароль от личного кабинета"
          hint={
            byPassword
              ? undefined
              : 'Если вы входите только через Госуслуги и пароля нет, оставьте поле пустым: нужен вход через Госуслуги не раньше чем 15 минут назад.'
          }
          isRequired={byPassword}
          type="password"
          autoComplete="current-password"
          value={password}
          onChange={setPassword}
          error={errors.fields.password}
        />
        <div className="button-row">
          <Button type="submit" variant="warning" isPending={busy}>
            Удалить учётную запись
          </Button>
          <Link to="/profile/data">Отмена</Link>
        </div>
      </form>
    </Page>
  );
}

export function AccountDeletedPage() {
  return (
    <Page title="Учётная запись удалена">
      <p>Ваши персональные данные удалены с портала. Прошедшие визиты остались в медицинских организациях.</p>
      <p>
        <Link to="/">На главную</Link>
      </p>
    </Page>
  );
}
