// A doctor's page for the clinic administrator: the doctor's data with «Изменить», the way to
// the doctor's schedule (the schedule editor at /clinic/schedules/:doctorId), and making
// the doctor inactive (gone from the patients' catalogue; refused while future visits are
// booked, with how many) or active again, each after a confirmation.
import { useState } from 'react';
import { Link, useParams } from 'react-router';
import type { ClinicDoctor } from '../../../shared/api/catalogue-admin.js';
import { api } from '../../api.js';
import { ConfirmDialog } from '../../ui/ConfirmDialog.js';
import { Notice } from '../../ui/Notice.js';
import { Page } from '../../ui/Page.js';
import { SummaryList } from '../../ui/SummaryList.js';
import { LoadProblem, Loading } from '../../ui/staff/Access.js';
import { useApiData } from '../../ui/staff/useApiData.js';
import { useFlash } from '../patient/flash.js';
import { fullName } from '../../../shared/person.js';

const BACK = { to: '/clinic', label: 'К списку врачей' };

export function ClinicDoctorPage() {
  const { doctorId } = useParams();
  const { data, error, reload } = useApiData<ClinicDoctor>(`/api/clinic/doctors/${doctorId}`);
  const flash = useFlash();
  const [asking, setAsking] = useState(false);
  const [changed, setChanged] = useState<string | null>(null);
  if (error)
    return (
      <LoadProblem
        title="Врач"
        error={error}
        role="clinic_admin"
        back={BACK}
        onRetry={error.status === 404 ? undefined : () => void reload()}
      />
    );
  if (!data) return <Loading />;
  const name = fullName(data);
  const edit = `/clinic/doctors/${data.id}/edit`;
  return (
    <Page title={name} back={BACK}>
      {flash && (
        <Notice kind="success" title={flash.title}>
          {flash.text && <p>{flash.text}</p>}
        </Notice>
      )}
      {changed && (
        <Notice kind="success" title={changed}>
          <p>Изменение записано в журнал.</p>
        </Notice>
      )}
      {!data.active && (
        <Notice kind="warning" title="Врач неактивен">
          <p>Пациенты не видят этого врача и не могут к нему записаться.</p>
        </Notice>
      )}
      <SummaryList
        rows={[
          { key: 'ФИО', value: name, change: edit },
          { key: 'Специальность', value: data.specialtyName, change: edit },
          { key: 'Должность', value: data.position || 'не указана', change: edit },
          { key: 'Кабинет', value: data.room, change: edit },
          { key: 'Состояние', value: data.active ? 'Работает, доступен для записи' : 'Неактивен' },
        ]}
      />
      <h2>Расписание</h2>
      <p>
        <Link to={`/clinic/schedules/${data.id}`}>Шаблон расписания, квоты и исключения</Link>
      </p>
      <h2>Работа врача</h2>
      <div className="button-row">
        <button
          type="button"
          className={data.active ? 'button button-warning' : 'button'}
          onClick={() => setAsking(true)}
        >
          {data.active ? 'Сделать неактивным' : 'Сделать активным'}
        </button>
      </div>
      <ConfirmDialog
        isOpen={asking}
        onClose={() => setAsking(false)}
        title={data.active ? `Сделать врача неактивным?` : `Вернуть врача к работе?`}
        confirmLabel={data.active ? 'Сделать неактивным' : 'Сделать активным'}
        danger={data.active}
        onConfirm={async () => {
          await api.post(`/api/clinic/doctors/${data.id}/${data.active ? 'deactivate' : 'activate'}`);
          setAsking(false);
          setChanged(data.active ? 'Врач стал неактивным' : 'Врач снова доступен для записи');
          await reload();
        }}
      >
        <p>
          {data.active
            ? `${name} пропадёт из списка врачей на портале, записаться к нему будет нельзя. Если у врача есть будущие записи, сначала перенесите или отмените их.`
            : `${name} снова появится на портале, пациенты смогут записаться на свободное время в его расписании.`}
        </p>
      </ConfirmDialog>
    </Page>
  );
}
