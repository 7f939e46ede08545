// «Настройки уведомлений»: which channels the account uses (e-mail, push; the in-portal
// list is always on), and whether this browser receives push notifications.
import { useEffect, useState, type FormEvent } from 'react';
import { Link } from 'react-router';
import type { NotificationPreferences } from '../../../shared/api/index.js';
import { api, ApiError } from '../../api.js';
import { Button } from '../../ui/Button.js';
import { ErrorSummary } from '../../ui/ErrorSummary.js';
import { Notice } from '../../ui/Notice.js';
import { Page } from '../../ui/Page.js';
import { CheckboxField } from '../../ui/staff/CheckboxField.js';
import { LiveMessage } from '../patient/LiveMessage.js';
import { asApiError, LoadState, useApiData, useLoginRedirect } from '../patient/useApiData.js';
import { deviceState, subscribeThisDevice, unsubscribeThisDevice, type DeviceState } from './push.js';
import { EsiaLinkSection } from '../esia/EsiaLinkSection.js';

function ChannelsForm({
  initial,
  onSaved,
}: {
  initial: NotificationPreferences;
  onSaved(p: NotificationPreferences): void;
}) {
  const [email, setEmail] = useState(initial.email);
  const [push, setPush] = useState(initial.push);
  const [pending, setPending] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const redirect = useLoginRedirect();

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setPending(true);
    setError(null);
    setDone(null);
    try {
      const saved = await api.put<NotificationPreferences>('/api/notifications/preferences', { email, push });
      onSaved(saved);
      setDone('Настройки сохранены.');
    } catch (err) {
      if (!redirect(err)) setError(asApiError(err).message);
    } finally {
      setPending(false);
    }
  };

  return (
    <section aria-labelledby="channels-title">
      <h2 id="channels-title">Как получать уведомления</h2>
      {error && <ErrorSummary message={error} />}
      <LiveMessage message={done} />
      <p>
        Уведомления на портале (раздел <Link to="/notifications">«Уведомления»</Link>) приходят всегда. Дополнительно:
      </p>
      <form className="form" onSubmit={(e) => void submit(e)} noValidate>
        <fieldset>
          <legend className="visually-hidden">Каналы уведомлений</legend>
          <div className="notify-channels">
            <CheckboxField id="channel-email" label="По электронной почте" isSelected={email} onChange={setEmail} />
            <CheckboxField
              id="channel-push"
              label="На устройства, где включены уведомления (push)"
              isSelected={push}
              onChange={setPush}
            />
          </div>
        </fieldset>
        <div className="button-row">
          <Button type="submit" isPending={pending}>
            Сохранить
          </Button>
        </div>
      </form>
    </section>
  );
}

const BROWSER_FAILED =
  'Браузер не смог включить уведомления. Проверьте подключение к интернету и попробуйте ещё раз. В режиме инкогнито уведомления не работают.';

const deviceText: Record<DeviceState['kind'], string> = {
  unsupported:
    'Этот браузер не умеет получать уведомления от сайтов. На iPhone и iPad уведомления работают, если добавить портал на экран «Домой»: «Поделиться» → «На экран „Домой“», затем открыть портал с экрана «Домой».',
  unavailable: 'Уведомления на устройства сейчас недоступны. Уведомления по почте и на портале работают.',
  denied:
    'Уведомления от портала запрещены в настройках этого браузера. Разрешите их в настройках сайта (значок слева от адреса) и обновите страницу.',
  off: 'Это устройство не получает уведомления.',
  on: 'Это устройство получает уведомления.',
};

function ThisDevice({ pushOn }: { pushOn: boolean }) {
  const [state, setState] = useState<DeviceState | null>(null);
  const [pending, setPending] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const redirect = useLoginRedirect();

  useEffect(() => {
    let live = true;
    deviceState()
      .then((s) => live && setState(s))
      .catch((e: unknown) => {
        if (live && !redirect(e)) setError(asApiError(e).message);
      });
    return () => {
      live = false;
    };
  }, [redirect]);

  const act = async (action: () => Promise<DeviceState>, message: (s: DeviceState) => string | null) => {
    setPending(true);
    setError(null);
    setDone(null);
    try {
      const next = await action();
      setState(next);
      setDone(message(next));
    } catch (e) {
      if (redirect(e)) return;
      // The browser's own refusals (no push service, private mode) are not the portal's errors.
      setError(e instanceof ApiError ? e.message : BROWSER_FAILED);
    } finally {
      setPending(false);
    }
  };

  const subscribe = () =>
    act(subscribeThisDevice, (s) => (s.kind === 'on' ? 'Готово: это устройство будет получать уведомления.' : null));
  const unsubscribe = () =>
    act(
      async () => {
        await unsubscribeThisDevice();
        return { kind: 'off' };
      },
      () => 'Это устройство больше не будет получать уведомления.',
    );

  return (
    <section aria-labelledby="device-title">
      <h2 id="device-title">Это устройство</h2>
      {error && <ErrorSummary message={error} />}
      <LiveMessage message={done} />
      {!state && !error && <p className="loading">Проверяем, получает ли это устройство уведомления…</p>}
      {state && (
        <>
          <p className="notify-device-state">
            <span className={`tag ${state.kind === 'on' ? 'tag-confirmed' : 'tag-pending'}`}>
              {state.kind === 'on' ? 'Включено' : 'Выключено'}
            </span>{' '}
            {deviceText[state.kind]}
          </p>
          {state.kind === 'on' && !pushOn && (
            <Notice kind="warning" title="Уведомления на устройства выключены">
              <p>Включите «На устройства» в настройках выше, иначе уведомления на это устройство приходить не будут.</p>
            </Notice>
          )}
          {state.kind === 'off' && (
            <>
              <p className="hint">
                Браузер спросит разрешение показывать уведомления. В уведомлении не будет имени пациента и специальности
                врача — только время и ссылка на портал.
              </p>
              <Button onPress={() => void subscribe()} isPending={pending}>
                Получать уведомления на этом устройстве
              </Button>
            </>
          )}
          {state.kind === 'on' && (
            <Button variant="secondary" onPress={() => void unsubscribe()} isPending={pending}>
              Не получать уведомления на этом устройстве
            </Button>
          )}
        </>
      )}
    </section>
  );
}

export function SettingsPage() {
  const state = useApiData<NotificationPreferences>('/api/notifications/preferences');
  const [prefs, setPrefs] = useState<NotificationPreferences | null>(null);
  const current = prefs ?? state.data;
  return (
    <Page title="Настройки уведомлений" back={{ to: '/notifications', label: 'Уведомления' }}>
      {!current && <LoadState state={state} />}
      {current && (
        <>
          <ChannelsForm initial={current} onSaved={setPrefs} />
          <ThisDevice pushOn={current.push} />
          <EsiaLinkSection />
        </>
      )}
    </Page>
  );
}
