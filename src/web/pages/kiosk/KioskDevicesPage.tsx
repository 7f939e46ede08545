// «Инфоматы» (/kiosk/devices): a registrar sees and switches off their organisation's kiosks
// and switches this browser to kiosk mode; an operator does the same for any organisation.
// Enrolling signs the staff member out of this browser and opens the kiosk screen.
import { useState, type FormEvent } from 'react';
import { kioskEnrolBody, type KioskDevice, type KioskEnrolBody, type Organisation } from '../../../shared/api/index.js';
import { ApiError, api } from '../../api.js';
import { useSession } from '../../session.js';
import { Button } from '../../ui/Button.js';
import { ConfirmDialog } from '../../ui/ConfirmDialog.js';
import { ErrorSummary } from '../../ui/ErrorSummary.js';
import { Field } from '../../ui/Field.js';
import { eventZone, formatInstantShort } from '../../ui/datetime.js';
import { Notice } from '../../ui/Notice.js';
import { Page } from '../../ui/Page.js';
import { Forbidden, LoadProblem, Loading, ToLogin } from '../../ui/staff/Access.js';
import { useApiData } from '../../ui/staff/useApiData.js';

const TITLE = 'Инфоматы';

export function KioskDevicesPage() {
  const { account, loading } = useSession();
  if (loading) return <Loading />;
  if (!account) return <ToLogin />;
  if (account.role !== 'registrar' && account.role !== 'operator') return <Forbidden />;
  return <KioskDevices operator={account.role === 'operator'} />;
}

function KioskDevices({ operator }: { operator: boolean }) {
  const devices = useApiData<{ devices: KioskDevice[] }>('/api/kiosk/devices');
  const [switchedOff, setSwitchedOff] = useState<string | null>(null);
  if (devices.error && (devices.error.status === 401 || devices.error.status === 403)) {
    return <LoadProblem title={TITLE} error={devices.error} />;
  }
  return (
    <Page title={TITLE} wide>
      <p className="lead staff-narrow">
        Инфомат — это экран в холле поликлиники, где пациент сам записывается к врачу, смотрит и отменяет свои записи по
        полису ОМС и дате рождения, без личного кабинета.
      </p>
      <section aria-labelledby="enrol-title" className="staff-section staff-narrow">
        <h2 id="enrol-title">Включить инфомат на этом устройстве</h2>
        <EnrolForm operator={operator} />
      </section>
      <section aria-labelledby="list-title" className="staff-section">
        <h2 id="list-title">
          {operator ? 'Инфоматы медицинских организаций' : 'Инфоматы вашей медицинской организации'}
        </h2>
        {switchedOff && (
          <Notice kind="success" title="Инфомат выключен">
            <p>Инфомат «{switchedOff}» больше не работает. Чтобы снова включить его, откройте эту страницу на нём.</p>
          </Notice>
        )}
        {devices.error && <ErrorSummary message={devices.error.message} />}
        {!devices.data && !devices.error && <Loading />}
        {devices.data && devices.data.devices.length === 0 && <p>Инфоматов пока нет.</p>}
        {devices.data && devices.data.devices.length > 0 && (
          <DeviceTable
            devices={devices.data.devices}
            operator={operator}
            onRevoked={async (d) => {
              setSwitchedOff(d.label);
              await devices.reload();
            }}
          />
        )}
      </section>
    </Page>
  );
}

function EnrolForm({ operator }: { operator: boolean }) {
  const organisations = useApiData<{ organisations: Organisation[] }>('/api/organisations');
  const [label, setLabel] = useState('');
  const [organisationId, setOrganisationId] = useState('');
  const [error, setError] = useState<{ message: string | null; fields: Record<string, string> } | null>(null);
  const [busy, setBusy] = useState(false);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const fields: Record<string, string> = {};
    // The server's own rule for the label (shared/text.ts): filled in, bounded, no invisible characters.
    const labelCheck = kioskEnrolBody.shape.label.safeParse(label);
    if (!labelCheck.success) fields.label = labelCheck.error.issues[0]?.message ?? 'Проверьте название';
    if (operator && !organisationId) fields.organisationId = 'Выберите медицинскую организацию';
    if (Object.keys(fields).length) {
      setError({ message: null, fields });
      return;
    }
    setBusy(true);
    setError(null);
    const body: KioskEnrolBody = {
      label: label.trim(),
      ...(operator ? { organisationId: Number(organisationId) } : {}),
    };
    try {
      await api.post<KioskDevice>('/api/kiosk/devices', body);
      // Signed out: a full load of the kiosk screen leaves nothing of the staff pages behind.
      window.location.assign('/kiosk');
    } catch (err) {
      const a = err instanceof ApiError ? err : null;
      setError({
        message: a && Object.keys(a.fields).length ? null : (a?.message ?? 'Не удалось включить инфомат.'),
        fields: a?.fields ?? {},
      });
      setBusy(false);
    }
  };

  return (
    <form className="form" onSubmit={(e) => void submit(e)} noValidate>
      <ErrorSummary
        message={error?.message ?? null}
        fields={error?.fields}
        labels={{ label: 'kiosk-label', organisationId: 'kiosk-organisation' }}
      />
      <p>
        Этот браузер станет инфоматом: откроется экран для пациентов, а вы выйдете из личного кабинета на этом
        устройстве. Включайте режим на том устройстве, которое будет стоять в холле.
      </p>
      {operator && (
        <div className={`field${error?.fields.organisationId ? ' field-invalid' : ''}`}>
          <label htmlFor="kiosk-organisation">Медицинская организация</label>
          {error?.fields.organisationId && <p className="field-error">{error.fields.organisationId}</p>}
          <select
            id="kiosk-organisation"
            className="select"
            value={organisationId}
            onChange={(e) => setOrganisationId(e.target.value)}
            aria-invalid={Boolean(error?.fields.organisationId) || undefined}
          >
            <option value="">Выберите организацию</option>
            {(organisations.data?.organisations ?? []).map((o) => (
              <option key={o.id} value={String(o.id)}>
                {o.shortName || o.name}
              </option>
            ))}
          </select>
        </div>
      )}
      <Field
        name="kiosk-label"
        label="Название инфомата"
        hint="Где он стоит, чтобы отличать инфоматы в списке: например, «Холл, 1 этаж»."
        value={label}
        onChange={setLabel}
        error={error?.fields.label}
        isRequired
        maxLength={80}
        width="medium"
      />
      <div className="button-row">
        <Button type="submit" isPending={busy}>
          Включить режим инфомата на этом устройстве
        </Button>
      </div>
    </form>
  );
}

function DeviceTable({
  devices,
  operator,
  onRevoked,
}: {
  devices: KioskDevice[];
  operator: boolean;
  onRevoked(d: KioskDevice): Promise<void>;
}) {
  const [confirming, setConfirming] = useState<KioskDevice | null>(null);
  const zone = eventZone();
  return (
    <>
      <div className="table-wrap">
        <table className="kiosk-table">
          <caption className="visually-hidden">Инфоматы: название, состояние, когда включён и последняя работа</caption>
          <thead>
            <tr>
              <th scope="col">Название</th>
              {operator && <th scope="col">Организация</th>}
              <th scope="col">Состояние</th>
              <th scope="col">Включён</th>
              <th scope="col">Последняя работа</th>
              <th scope="col">
                <span className="visually-hidden">Действия</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {devices.map((d) => (
              <tr key={d.id}>
                <th scope="row">{d.label}</th>
                {operator && <td>{d.organisation.shortName}</td>}
                <td>{d.revokedAt ? `Выключен ${formatInstantShort(d.revokedAt, zone)}` : 'Работает'}</td>
                <td>
                  {formatInstantShort(d.createdAt, zone)}
                  {d.createdBy && <span className="hint"> ({d.createdBy})</span>}
                </td>
                <td>{d.lastSeenAt ? formatInstantShort(d.lastSeenAt, zone) : 'ещё не работал'}</td>
                <td>
                  {!d.revokedAt && (
                    <Button variant="warning" onPress={() => setConfirming(d)}>
                      Выключить<span className="visually-hidden"> инфомат «{d.label}»</span>
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
        title="Выключить инфомат?"
        confirmLabel="Выключить"
        cancelLabel="Не выключать"
        danger
        onConfirm={async () => {
          if (!confirming) return;
          try {
            await api.post<KioskDevice>(`/api/kiosk/devices/${confirming.id}/revoke`);
          } catch (err) {
            throw new Error(err instanceof ApiError ? err.message : 'Не удалось выключить инфомат.');
          }
          const done = confirming;
          setConfirming(null);
          await onRevoked(done);
        }}
      >
        <p>
          Инфомат «{confirming?.label}» сразу перестанет работать: пациенты не смогут на нём записаться, пока режим
          инфомата не включат заново.
        </p>
      </ConfirmDialog>
    </>
  );
}
