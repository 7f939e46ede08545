// «Журнал изменений» of the clinic administrator: the organisation's audit entries (its
// details, its doctors, schedules and desk actions) — who changed what, before and after.
import { useMemo } from 'react';
import type { AuditEntry } from '../../../shared/api/index.js';
import type { OrganisationFull } from '../../../shared/api/catalogue-admin.js';
import { Page } from '../../ui/Page.js';
import { LoadProblem, Loading } from '../../ui/staff/Access.js';
import { useApiData } from '../../ui/staff/useApiData.js';
import { AuditLog } from '../staff/AuditLog.js';

const TITLE = 'Журнал изменений';

export function ClinicAuditPage() {
  const audit = useApiData<{ entries: AuditEntry[] }>('/api/clinic/audit?limit=100');
  const organisation = useApiData<OrganisationFull>('/api/clinic/organisation');
  const names = useMemo(
    () =>
      new Map(
        organisation.data
          ? [[String(organisation.data.id), organisation.data.shortName || organisation.data.name]]
          : [],
      ),
    [organisation.data],
  );
  if (audit.error)
    return <LoadProblem title={TITLE} error={audit.error} role="clinic_admin" onRetry={() => void audit.reload()} />;
  return (
    <Page title={TITLE} wide>
      <p className="lead staff-narrow">Последние 100 изменений в данных организации и её врачей, сначала новые.</p>
      {!audit.data ? (
        <Loading />
      ) : (
        <AuditLog
          entries={audit.data.entries}
          organisationNames={names}
          timeZone={organisation.data?.timeZone ?? null}
        />
      )}
    </Page>
  );
}
