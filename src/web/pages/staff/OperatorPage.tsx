// «Настройки портала»: the operator's region rules, per-organisation settings and the
// recent audit log. One outcome (success notice or error summary) is shown at a time,
// next to the form it belongs to.
import { useMemo, useState } from 'react';
import type { AuditEntry, Organisation } from '../../../shared/api/index.js';
import { Page } from '../../ui/Page.js';
import { LoadProblem, Loading } from '../../ui/staff/Access.js';
import { useApiData } from '../../ui/staff/useApiData.js';
import { ApiKeys } from './ApiKeys.js';
import { AuditLog } from './AuditLog.js';
import { OrganisationSettings, type OrganisationWithSettings } from './OrganisationSettings.js';
import { RegionSettingsForm, type RegionSettingsData } from './RegionSettingsForm.js';

const TITLE = 'Настройки портала';

/** The result of the last save: which form, and what happened. */
export type Outcome =
  | { section: string; kind: 'success'; title: string; text: string }
  | { section: string; kind: 'error'; message: string | null; fields: Record<string, string> };

export function OperatorPage() {
  const settings = useApiData<RegionSettingsData>('/api/operator/settings');
  const organisations = useApiData<{ organisations: OrganisationWithSettings[] }>('/api/operator/organisations');
  const audit = useApiData<{ entries: AuditEntry[] }>('/api/operator/audit?limit=30');
  const [outcome, setOutcome] = useState<Outcome | null>(null);

  const organisationNames = useMemo(
    () =>
      new Map(
        (organisations.data?.organisations ?? []).map((o: Organisation) => [String(o.id), o.shortName || o.name]),
      ),
    [organisations.data],
  );

  // The page as a whole is refused or sent to login when the first call says so.
  const authError = [settings.error, organisations.error, audit.error].find(
    (e) => e && (e.status === 401 || (e.status === 403 && e.code === 'FORBIDDEN')),
  );
  if (authError) return <LoadProblem title={TITLE} error={authError} role="operator" />;

  return (
    <Page title={TITLE} wide>
      <p className="lead staff-narrow">
        Правила записи для всего региона и настройки медицинских организаций. Изменения действуют сразу и записываются в
        журнал.
      </p>

      <section aria-labelledby="region-title" className="staff-section staff-narrow">
        <h2 id="region-title">Правила региона</h2>
        {settings.error && <SectionProblem message={settings.error.message} onRetry={() => void settings.reload()} />}
        {!settings.data && !settings.error && <Loading />}
        {settings.data && (
          <RegionSettingsForm
            settings={settings.data}
            outcome={outcome?.section === 'region' ? outcome : null}
            setOutcome={setOutcome}
            onSaved={async () => {
              await Promise.all([settings.reload(), audit.reload()]);
            }}
          />
        )}
      </section>

      <section aria-labelledby="organisations-title" className="staff-section staff-narrow">
        <h2 id="organisations-title">Медицинские организации</h2>
        {organisations.error && (
          <SectionProblem message={organisations.error.message} onRetry={() => void organisations.reload()} />
        )}
        {!organisations.data && !organisations.error && <Loading />}
        {organisations.data && (
          <OrganisationSettings
            organisations={organisations.data.organisations}
            regionCutoff={settings.data?.cutoffTime ?? null}
            outcome={outcome}
            setOutcome={setOutcome}
            onSaved={async () => {
              await Promise.all([organisations.reload(), audit.reload()]);
            }}
          />
        )}
      </section>

      <section aria-labelledby="apikeys-title" className="staff-section">
        <h2 id="apikeys-title">Ключи доступа к API</h2>
        <ApiKeys organisations={organisations.data?.organisations ?? []} onChanged={audit.reload} />
      </section>

      <section aria-labelledby="audit-title" className="staff-section">
        <h2 id="audit-title">Журнал изменений</h2>
        {audit.error && <SectionProblem message={audit.error.message} onRetry={() => void audit.reload()} />}
        {!audit.data && !audit.error && <Loading />}
        {audit.data && <AuditLog entries={audit.data.entries} organisationNames={organisationNames} />}
      </section>
    </Page>
  );
}

/** A section that could not load: the message and a retry (not an error summary: nothing was entered). */
function SectionProblem({ message, onRetry }: { message: string; onRetry(): void }) {
  return (
    <div className="notice notice-warning">
      <p className="notice-title">Не удалось загрузить</p>
      <p>{message}</p>
      <button type="button" className="button button-secondary" onClick={onRetry}>
        Попробовать снова
      </button>
    </div>
  );
}
