// One patient at the desk: their data, «Записать на приём», and their visits at this
// organisation from every source, each booked one with «Отменить запись».
import { useState } from 'react';
import { Link, useLocation, useParams } from 'react-router';
import type { StaffPatientResponse } from '../../../shared/api/index.js';
import { bySex } from '../../../shared/agreement.js';
import { formatSnils } from '../../../shared/validation.js';
import { ApiError } from '../../api.js';
import { Page } from '../../ui/Page.js';
import { Notice } from '../../ui/Notice.js';
import { LoadProblem, Loading } from '../../ui/staff/Access.js';
import { formatBirthDate, formatPolicy, fullName, sexLabel } from '../../ui/staff/format.js';
import { useApiData } from '../../ui/staff/useApiData.js';
import { LiveMessage } from '../patient/LiveMessage.js';
import { BookedPanel } from './BookedPanel.js';
import { bookPaths, isBookedNotice } from './staff.js';
import { StaffVisits } from './StaffVisitList.js';
import { TalonFound } from './TalonScan.js';

const BACK = { to: '/desk', label: 'К поиску пациента' };

export function PatientFacts({ patient }: { patient: StaffPatientResponse['patient'] }) {
  return (
    <dl className="summary-list">
      <dt>Дата рождения</dt>
      <dd>{formatBirthDate(patient.birthDate)}</dd>
      <dt>Пол</dt>
      <dd>{sexLabel(patient.sex)}</dd>
      <dt>СНИЛС</dt>
      <dd className="staff-nowrap">{formatSnils(patient.snils)}</dd>
      <dt>Полис ОМС</dt>
      <dd className="staff-nowrap">{formatPolicy(patient.policy)}</dd>
    </dl>
  );
}

export function DeskPatientPage() {
  const { patientId = '' } = useParams();
  const location = useLocation();
  const state: unknown = location.state;
  const { data, error, reload } = useApiData<StaffPatientResponse>(
    `/api/desk/patients/${encodeURIComponent(patientId)}`,
  );
  const [cancelled, setCancelled] = useState<string | null>(null);

  if (error) {
    const notFound = error.status === 404 || error.code === 'VALIDATION_FAILED';
    const shown = notFound
      ? new ApiError(404, 'NOT_FOUND', 'Пациент не найден. Найдите его ещё раз через поиск.')
      : error;
    return (
      <LoadProblem
        title="Пациент"
        error={shown}
        role="registrar"
        back={BACK}
        onRetry={notFound ? undefined : () => void reload()}
      />
    );
  }
  if (!data) {
    return (
      <Page title="Пациент" back={BACK}>
        <Loading />
      </Page>
    );
  }
  const name = fullName(data.patient);
  const registered =
    typeof state === 'object' && state !== null && 'registered' in state && typeof state.registered === 'string'
      ? state.registered
      : null;

  return (
    <Page title={name} back={BACK}>
      {isBookedNotice(state) && !cancelled && <BookedPanel notice={state} />}
      {registered && !isBookedNotice(state) && (
        <Notice kind="success" title="Пациент зарегистрирован">
          <p>
            {registered} {bySex(data.patient.sex, { M: 'добавлен', F: 'добавлена', neutral: 'добавлен(а)' })} в регистр.
            Теперь пациента можно записать к врачу.
          </p>
        </Notice>
      )}
      <LiveMessage message={cancelled} title="Запись отменена" />
      {!cancelled && <TalonFound state={state} visits={data.visits} />}
      <PatientFacts patient={data.patient} />
      <p>
        <Link className="button" to={bookPaths.start('desk', data.patient.patientId)}>
          Записать на приём
        </Link>
      </p>
      <StaffVisits
        visits={data.visits}
        sex={data.patient.sex}
        canCancel
        onCancelled={(message) => {
          setCancelled(message);
          void reload();
        }}
      />
    </Page>
  );
}
