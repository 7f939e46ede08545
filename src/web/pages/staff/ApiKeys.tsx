// «Ключи доступа к API» on the operator page: issue a key for an organisation and a channel
// (the full key is shown once, right after issuing, with a copy button: the portal keeps
// only its HMAC), the list of keys by prefix with their last use, and revoking a key.
import { useEffect, useRef, useState, type FormEvent } from 'react';
import {
  apiKeyIssueBody,
  type ApiChannelValue,
  type ApiKeyIssued,
  type ApiKeyItem,
  type Organisation,
} from '../../../shared/api/index.js';
import { ApiError, api } from '../../api.js';
import { Button } from '../../ui/Button.js';
import { ConfirmDialog } from '../../ui/ConfirmDialog.js';
import { ErrorSummary } from '../../ui/ErrorSummary.js';
import { Field } from '../../ui/Field.js';
import { Notice } from '../../ui/Notice.js';
import { RadioChoice } from '../../ui/RadioChoice.js';
import { eventZone, formatInstantShort } from '../../ui/datetime.js';
import { Loading } from '../../ui/staff/Access.js';
import { useApiData } from '../../ui/staff/useApiData.js';

export const channelLabels: Record<ApiChannelValue, string> = {
  electronic_queue: 'Электронная очередь',
  registry: 'Регистратура',
  doctor: 'Врач на приёме',
  infomat: 'Инфомат',
  mis: 'Медицинская информационная система',
};

const channelHints: Record<ApiChannelValue, string> = {
  electronic_queue: 'Записи получают источник «электронная очередь».',
  registry: 'Записи получают источник «регистратура».',
  doctor: 'Записи получают источник «врач».',
  infomat: 'Записи получают источник «инфомат».',
  mis: 'Передаёт записи любого канала МО и указывает источник в каждой записи.',
};

const ids = { organisationId: 'apikey-organisation', channel: 'apikey-channel', label: 'apikey-label' };

type FormError = { message: string | null; fields: Record<string, string> };

export function ApiKeys({ organisations, onChanged }: { organisations: Organisation[]; onChanged(): Promise<void> }) {
  const keys = useApiData<{ keys: ApiKeyItem[] }>('/api/operator/api-keys');
  const [issued, setIssued] = useState<ApiKeyIssued | null>(null);
  const [revoked, setRevoked] = useState<string | null>(null);

  return (
    <>
      <p>
        Ключ даёт информационной системе или электронной очереди одной медицинской организации доступ к её расписанию и
        записям через API (<code>/api/integration/v1</code> и HL7 FHIR <code>/fhir/R4</code>).
      </p>
      {issued ? (
        <IssuedKey issued={issued} onDone={() => setIssued(null)} />
      ) : (
        <IssueForm
          organisations={organisations}
          onIssued={async (result) => {
            setRevoked(null);
            setIssued(result);
            await Promise.all([keys.reload(), onChanged()]);
          }}
        />
      )}
      <h3 id="apikeys-list-title">Выпущенные ключи</h3>
      {revoked && (
        <Notice kind="success" title="Ключ отозван">
          <p>Ключ «{revoked}» больше не действует. Изменение записано в журнал.</p>
        </Notice>
      )}
      {keys.error && (
        <div className="notice notice-warning">
          <p className="notice-title">Не удалось загрузить ключи</p>
          <p>{keys.error.message}</p>
          <button type="button" className="button button-secondary" onClick={() => void keys.reload()}>
            Попробовать снова
          </button>
        </div>
      )}
      {!keys.data && !keys.error && <Loading />}
      {keys.data && (
        <KeyTable
          keys={keys.data.keys}
          onRevoked={async (k) => {
            setIssued(null);
            setRevoked(k.label);
            await Promise.all([keys.reload(), onChanged()]);
          }}
        />
      )}
    </>
  );
}

function IssueForm({
  organisations,
  onIssued,
}: {
  organisations: Organisation[];
  onIssued(r: ApiKeyIssued): Promise<void>;
}) {
  const [organisationId, setOrganisationId] = useState('');
  const [channel, setChannel] = useState<string | null>(null);
  const [label, setLabel] = useState('');
  const [error, setError] = useState<FormError | null>(null);
  const [busy, setBusy] = useState(false);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const parsed = apiKeyIssueBody.safeParse({
      organisationId: organisationId ? Number(organisationId) : undefined,
      channel: channel ?? undefined,
      label,
    });
    if (!parsed.success) {
      const fields: Record<string, string> = {};
      for (const issue of parsed.error.issues) fields[String(issue.path[0])] ??= issue.message;
      // In the order of the form.
      const ordered: Record<string, string> = {};
      for (const k of Object.keys(ids)) if (fields[k]) ordered[k] = fields[k];
      setError({ message: null, fields: ordered });
      return;
    }
    setBusy(true);
    setError(null);
    try {
      const result = await api.post<ApiKeyIssued>('/api/operator/api-keys', parsed.data);
      setOrganisationId('');
      setChannel(null);
      setLabel('');
      await onIssued(result);
    } catch (err) {
      const a = err instanceof ApiError ? err : null;
      setError({
        message:
          a && Object.keys(a.fields).length ? null : (a?.message ?? 'Не удалось выпустить ключ. Попробуйте ещё раз.'),
        fields: a?.fields ?? {},
      });
    } finally {
      setBusy(false);
    }
  };

  return (
    <form
      className="form staff-narrow"
      onSubmit={(e) => void submit(e)}
      noValidate
      aria-labelledby="apikeys-issue-title"
    >
      <h3 id="apikeys-issue-title">Выпустить ключ</h3>
      <ErrorSummary message={error?.message ?? null} fields={error?.fields} labels={ids} />
      <div className={`field${error?.fields.organisationId ? ' field-invalid' : ''}`}>
        <label htmlFor={ids.organisationId}>Медицинская организация</label>
        {error?.fields.organisationId && (
          <p className="field-error" id={`${ids.organisationId}-error`}>
            {error.fields.organisationId}
          </p>
        )}
        <select
          id={ids.organisationId}
          className="select"
          value={organisationId}
          onChange={(e) => setOrganisationId(e.target.value)}
          aria-invalid={Boolean(error?.fields.organisationId) || undefined}
          aria-describedby={error?.fields.organisationId ? `${ids.organisationId}-error` : undefined}
        >
          <option value="">Выберите организацию</option>
          {organisations.map((o) => (
            <option key={o.id} value={String(o.id)}>
              {o.shortName || o.name}
            </option>
          ))}
        </select>
      </div>
      <RadioChoice
        id={ids.channel}
        label="Канал"
        hint="Откуда приходят записи, которые система передаёт с этим ключом."
        error={error?.fields.channel}
        value={channel}
        onChange={setChannel}
        options={(Object.keys(channelLabels) as ApiChannelValue[]).map((c) => ({
          value: c,
          label: channelLabels[c],
          hint: channelHints[c],
        }))}
      />
      <Field
        name={ids.label}
        label="Название ключа"
        hint="Чтобы отличать ключи в списке: например, «Электронная очередь, корпус 1»."
        value={label}
        onChange={setLabel}
        error={error?.fields.label}
        isRequired
        maxLength={80}
        width="medium"
        autoComplete="off"
      />
      <div className="button-row">
        <Button type="submit" isPending={busy}>
          Выпустить ключ
        </Button>
      </div>
    </form>
  );
}

/** The full key, shown once: copy it now. Focus moves here so a screen reader hears it at once. */
function IssuedKey({ issued, onDone }: { issued: ApiKeyIssued; onDone(): void }) {
  const [copied, setCopied] = useState<'yes' | 'failed' | null>(null);
  const headingRef = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    headingRef.current?.focus();
  }, []);
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(issued.key);
      setCopied('yes');
    } catch {
      setCopied('failed');
    }
  };
  return (
    <section className="notice notice-success staff-narrow" aria-labelledby="apikey-issued-title">
      <h3 id="apikey-issued-title" className="notice-title" tabIndex={-1} ref={headingRef}>
        Ключ «{issued.apiKey.label}» выпущен
      </h3>
      <p>
        <strong>Скопируйте ключ сейчас: он показан один раз.</strong> Портал хранит только его отпечаток и показать ключ
        снова не сможет. Если ключ потерян, выпустите новый и отзовите этот.
      </p>
      <p>
        {issued.apiKey.organisation.shortName}, канал «{channelLabels[issued.apiKey.channel]}».
      </p>
      <p>
        <label htmlFor="apikey-value">Ключ</label>
        <input
          id="apikey-value"
          className="input staff-break"
          readOnly
          value={issued.key}
          onFocus={(e) => e.target.select()}
        />
      </p>
      <div className="button-row">
        <Button variant="secondary" onPress={() => void copy()}>
          Скопировать ключ
        </Button>
        <Button onPress={onDone}>Ключ сохранён</Button>
      </div>
      <p role="status">
        {copied === 'yes' && 'Ключ скопирован в буфер обмена.'}
        {copied === 'failed' && 'Не удалось скопировать: выделите ключ в поле и скопируйте его вручную.'}
      </p>
    </section>
  );
}

function KeyTable({ keys, onRevoked }: { keys: ApiKeyItem[]; onRevoked(k: ApiKeyItem): Promise<void> }) {
  const [confirming, setConfirming] = useState<ApiKeyItem | null>(null);
  const zone = eventZone();
  if (keys.length === 0) return <p>Ключей пока нет.</p>;
  return (
    <>
      {/* position: relative keeps the buttons' visually hidden text inside the scrolling box on a narrow screen.
          A scrolling box is a focusable named region, so that a keyboard can scroll it (WCAG 2.1.1). */}
      {/* biome-ignore lint/a11y/useSemanticElements: a <section> would not take tabIndex without the same complaint */}
      <div
        className="table-wrap"
        role="region"
        aria-labelledby="apikeys-list-title"
        // biome-ignore lint/a11y/noNoninteractiveTabindex: a scrolling region must be focusable to be scrolled by keyboard
        tabIndex={0}
        style={{ position: 'relative' }}
      >
        <table className="apikeys-table">
          <caption className="visually-hidden">
            Ключи доступа к API: начало ключа, организация, канал, когда выпущен и использован
          </caption>
          <thead>
            <tr>
              <th scope="col">Название</th>
              <th scope="col">Начало ключа</th>
              <th scope="col">Организация и канал</th>
              <th scope="col">Выпущен</th>
              <th scope="col">Последнее использование</th>
              <th scope="col">Состояние</th>
              <th scope="col">
                <span className="visually-hidden">Действия</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {keys.map((k) => (
              <tr key={k.id}>
                <th scope="row" className="staff-break">
                  {k.label}
                </th>
                <td>
                  <code>{k.prefix}…</code>
                </td>
                <td>
                  {k.organisation.shortName}
                  <br />
                  <span className="hint">{channelLabels[k.channel]}</span>
                </td>
                <td>
                  {formatInstantShort(k.createdAt, zone)}
                  {k.createdBy && <span className="hint staff-break"> ({k.createdBy})</span>}
                </td>
                <td>{k.lastUsedAt ? formatInstantShort(k.lastUsedAt, zone) : 'не использовался'}</td>
                <td>{k.revokedAt ? `Отозван ${formatInstantShort(k.revokedAt, zone)}` : 'Действует'}</td>
                <td>
                  {!k.revokedAt && (
                    <Button variant="warning" onPress={() => setConfirming(k)}>
                      Отозвать<span className="visually-hidden"> ключ «{k.label}»</span>
                    </Button>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <ConfirmDialog
        isOpen={confirming !== null}
        onClose={() => setConfirming(null)}
        title="Отозвать ключ?"
        confirmLabel="Отозвать ключ"
        danger
        onConfirm={async () => {
          if (!confirming) return;
          try {
            await api.post(`/api/operator/api-keys/${confirming.id}/revoke`);
          } catch (err) {
            throw new Error(err instanceof ApiError ? err.message : 'Не удалось отозвать ключ. Попробуйте ещё раз.');
          }
          const k = confirming;
          setConfirming(null);
          await onRevoked(k);
        }}
      >
        {confirming && (
          <p>
            Ключ «{confirming.label}» ({confirming.organisation.shortName}, {channelLabels[confirming.channel]})
            перестанет действовать сразу: система, которая им пользуется, получит отказ. Отменить это нельзя.
          </p>
        )}
      </ConfirmDialog>
    </>
  );
}
