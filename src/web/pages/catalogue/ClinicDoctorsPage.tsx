// «Врачи»: the clinic administrator's doctors, active first; each opens the doctor's page.
// «Добавить врача» leads to the form.
import { Link } from 'react-router';
import type { ClinicDoctor } from '../../../shared/api/catalogue-admin.js';
import { Page } from '../../ui/Page.js';
import { LoadProblem, Loading } from '../../ui/staff/Access.js';
import { useApiData } from '../../ui/staff/useApiData.js';
import { fullName } from '../../../shared/person.js';

const TITLE = 'Врачи';

export function ClinicDoctorsPage() {
  const { data, error, reload } = useApiData<{ doctors: ClinicDoctor[] }>('/api/clinic/doctors');
  if (error) return <LoadProblem title={TITLE} error={error} role="clinic_admin" onRetry={() => void reload()} />;
  const active = data?.doctors.filter((d) => d.active).length ?? 0;
  return (
    <Page title={TITLE}>
      <p className="lead">
        Врачи вашей медицинской организации. Неактивных врачей пациенты не видят и записаться к ним не могут.
      </p>
      <p>
        <Link className="button" to="/clinic/doctors/new">
          Добавить врача
        </Link>
      </p>
      {!data ? (
        <Loading />
      ) : data.doctors.length === 0 ? (
        <p>Врачей пока нет.</p>
      ) : (
        <>
          <p className="staff-count">
            Работают: {active}, неактивны: {data.doctors.length - active}.
          </p>
          <ul className="list-plain staff-queue">
            {data.doctors.map((d) => (
              <li key={d.id} className="card staff-queue-item">
                <h2 className="staff-queue-name">
                  <Link to={`/clinic/doctors/${d.id}`}>{fullName(d)}</Link>
                </h2>
                {!d.active && <p className="tag tag-pending">Неактивен</p>}
                <dl className="staff-facts">
                  <div>
                    <dt>Специальность</dt>
                    <dd>{d.specialtyName}</dd>
                  </div>
                  {d.position && (
                    <div>
                      <dt>Должность</dt>
                      <dd>{d.position}</dd>
                    </div>
                  )}
                  <div>
                    <dt>Кабинет</dt>
                    <dd>{d.room}</dd>
                  </div>
                </dl>
              </li>
            ))}
          </ul>
        </>
      )}
    </Page>
  );
}
