// The operator's organisations: the list (/operator/organisations), adding one
// (/operator/organisations/new) and changing one's details (/operator/organisations/:id).
// The waitlist and the organisation's own cut-off stay editable on «Настройки портала» too.
import { useNavigate, useParams, Link } from 'react-router';
import type { OrganisationFull } from '../../../shared/api/catalogue-admin.js';
import { RUSSIAN_TIME_ZONES } from '../../../shared/api/catalogue-admin.js';
import { api } from '../../api.js';
import { Notice } from '../../ui/Notice.js';
import { Page } from '../../ui/Page.js';
import { LoadProblem, Loading } from '../../ui/staff/Access.js';
import { useApiData } from '../../ui/staff/useApiData.js';
import { useFlash, type FlashState } from '../patient/flash.js';
import { emptyOrganisationForm, organisationFormFrom } from './catalogue.forms.js';
import { OrganisationDetailsForm } from './OrganisationDetailsForm.js';

const LIST = { to: '/operator/organisations', label: 'К списку организаций' };

function zoneLabel(zone: string): string {
  return RUSSIAN_TIME_ZONES.find((z) => z.zone === zone)?.label ?? zone;
}

export function OperatorOrganisationsPage() {
  const title = 'Медицинские организации';
  const { data, error, reload } = useApiData<{ organisations: OrganisationFull[] }>('/api/operator/organisations');
  const flash = useFlash();
  if (error) return <LoadProblem title={title} error={error} role="operator" onRetry={() => void reload()} />;
  return (
    <Page title={title}>
      {flash && <Notice kind="success" title={flash.title} />}
      <p>
        <Link className="button" to="/operator/organisations/new">
          Добавить организацию
        </Link>
      </p>
      {!data ? (
        <Loading />
      ) : (
        <ul className="list-plain staff-queue">
          {data.organisations.map((o) => (
            <li key={o.id} className="card staff-queue-item">
              <h2 className="staff-queue-name">
                <Link to={`/operator/organisations/${o.id}`}>{o.shortName}</Link>
              </h2>
              <p className="staff-note">{o.name}</p>
              <dl className="staff-facts">
                <div>
                  <dt>Адрес</dt>
                  <dd>{o.address}</dd>
                </div>
                <div>
                  <dt>Регистратура</dt>
                  <dd>{o.phone}</dd>
                </div>
                <div>
                  <dt>Часовой пояс</dt>
                  <dd>{zoneLabel(o.timeZone)}</dd>
                </div>
                <div>
                  <dt>Очередь</dt>
                  <dd>{o.waitlistAllowed ? 'разрешена' : 'не ведётся'}</dd>
                </div>
              </dl>
            </li>
          ))}
        </ul>
      )}
    </Page>
  );
}

export function OrganisationNewPage() {
  const navigate = useNavigate();
  return (
    <Page title="Добавить организацию" back={LIST}>
      <OrganisationDetailsForm
        initial={emptyOrganisationForm}
        submitLabel="Добавить организацию"
        onSubmit={async (details) => {
          await api.post('/api/operator/organisations', details);
          const state: FlashState = { flash: { title: `Организация «${details.shortName}» добавлена` } };
          void navigate('/operator/organisations', { state });
        }}
      />
    </Page>
  );
}

export function OrganisationEditPage() {
  const { organisationId } = useParams();
  const navigate = useNavigate();
  const { data, error } = useApiData<OrganisationFull>(`/api/operator/organisations/${organisationId}`);
  const title = 'Изменить организацию';
  if (error) return <LoadProblem title={title} error={error} role="operator" back={LIST} />;
  return (
    <Page title={title} back={LIST}>
      {!data ? (
        <Loading />
      ) : (
        <OrganisationDetailsForm
          initial={organisationFormFrom(data)}
          submitLabel="Сохранить"
          onSubmit={async (details) => {
            await api.put(`/api/operator/organisations/${data.id}`, {
              ...details,
              cutoffOverride: data.cutoffOverride,
            });
            const state: FlashState = { flash: { title: `Данные «${details.shortName}» сохранены` } };
            void navigate('/operator/organisations', { state });
          }}
        />
      )}
    </Page>
  );
}
