// «Организация»: the clinic administrator's own organisation — its details as patients see
// them, and the form to change them. Every change goes to the change log.
import { useState } from 'react';
import type { OrganisationFull } from '../../../shared/api/catalogue-admin.js';
import { api } from '../../api.js';
import { Notice } from '../../ui/Notice.js';
import { Page } from '../../ui/Page.js';
import { LoadProblem, Loading } from '../../ui/staff/Access.js';
import { useApiData } from '../../ui/staff/useApiData.js';
import { organisationFormFrom } from './catalogue.forms.js';
import { OrganisationDetailsForm } from './OrganisationDetailsForm.js';

const TITLE = 'Организация';

export function ClinicOrganisationPage() {
  const { data, error, reload } = useApiData<OrganisationFull>('/api/clinic/organisation');
  const [saved, setSaved] = useState(0);
  if (error) return <LoadProblem title={TITLE} error={error} role="clinic_admin" onRetry={() => void reload()} />;
  return (
    <Page title={TITLE}>
      {!data ? (
        <Loading />
      ) : (
        <>
          <p className="lead staff-narrow">
            Данные медицинской организации, которые видят пациенты: название, адрес, телефон регистратуры и часовой пояс
            расписания. Изменения действуют сразу и записываются в журнал изменений.
          </p>
          {saved > 0 && (
            <Notice kind="success" title="Данные организации сохранены">
              <p>Пациенты уже видят новые данные.</p>
            </Notice>
          )}
          <OrganisationDetailsForm
            key={saved}
            initial={organisationFormFrom(data)}
            submitLabel="Сохранить"
            onSubmit={async (details) => {
              await api.put('/api/clinic/organisation', details);
              await reload();
              setSaved((n) => n + 1);
            }}
          />
        </>
      )}
    </Page>
  );
}
