// «Госуслуги» on the settings page: whether ЕСИА is linked, and linking it after the
// password is entered again (the server then sends the browser to ЕСИА and back).
import { useState, type FormEvent } from 'react';
import { useSearchParams } from 'react-router';
import type { EsiaLinkStatus } from '../../../shared/api/esia.js';
import { api } from '../../api.js';
import { Button } from '../../ui/Button.js';
import { eventZone, formatInstantLong } from '../../ui/datetime.js';
import { ErrorSummary } from '../../ui/ErrorSummary.js';
import { Field } from '../../ui/Field.js';
import { Notice } from '../../ui/Notice.js';
import { errorsFromApi, errorsFromFields, noErrors, type FormErrors } from '../patient/formErrors.js';
import { useApiData } from '../patient/useApiData.js';

export function EsiaLinkSection() {
  const state = useApiData<EsiaLinkStatus>('/api/esia/link');
  const [params] = useSearchParams();
  const [password, setPassword] = useState('');
  const [errors, setErrors] = useState<FormErrors>(noErrors);
  const [busy, setBusy] = useState(false);
  const status = state.data;
  if (!status || (!status.enabled && !status.linked)) return null;

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (!password) return setErrors(errorsFromFields({ 'esia-password': 'Введите пароль' }, errors));
    setBusy(true);
    try {
      const { url } = await api.post<{ url: string }>('/api/esia/link', { password });
      window.location.assign(url);
    } catch (err) {
      const next = errorsFromApi(err, errors);
      // The server names the field `password`; on this page it is `esia-password`.
      if (next.fields.password) next.fields = { 'esia-password': next.fields.password };
      setErrors(next);
      setBusy(false);
    }
  };

  return (
    <section aria-labelledby="esia-title">
      <h2 id="esia-title">Госуслуги</h2>
      {status.linked ? (
        <>
          {params.get('esia') === 'linked' && (
            <Notice kind="success" title="Госуслуги привязаны">
              <p>Теперь вы можете входить через Госуслуги.</p>
            </Notice>
          )}
          <p>
            <span className="tag tag-confirmed">Привязаны</span>{' '}
            {status.linkedAt && <>с {formatInstantLong(status.linkedAt, eventZone())}. </>}
            При входе через Госуслуги в картотеке видны ваши записи к врачу из всех источников.
          </p>
        </>
      ) : status.hasPassword ? (
        <>
          <p>
            Привяжите подтверждённую учётную запись Госуслуг, чтобы входить через неё и видеть свои записи к врачу из
            всех источников: через портал, регистратуру, инфомат, электронную очередь и от врача. СНИЛС и дата рождения
            на Госуслугах должны совпадать с вашими данными в картотеке.
          </p>
          <ErrorSummary key={errors.attempt} message={errors.message} fields={errors.fields} />
          <form className="form" noValidate onSubmit={(e) => void submit(e)}>
            <Field
              name="esia-password"
              label="Пароль от личного кабинета"
              hint="Для безопасности введите пароль ещё раз."
              type="password"
              autoComplete="current-password"
              isRequired
              value={password}
              onChange={setPassword}
              error={errors.fields['esia-password']}
            />
            <div className="button-row">
              <Button type="submit" isPending={busy}>
                Привязать Госуслуги
              </Button>
            </div>
          </form>
        </>
      ) : (
        <p>
          Чтобы привязать Госуслуги, сначала задайте пароль личного кабинета через «Забыли пароль?» на странице входа.
        </p>
      )}
    </section>
  );
}
