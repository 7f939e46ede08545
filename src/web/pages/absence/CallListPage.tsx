// «Список для обзвона»: the printable call list of a closure — every affected visit made
// outside the portal (and portal ones, marked as told online), with the patient, phone, old
// time and what was decided. Print CSS hides the portal's header, footer and links.
import { useParams } from 'react-router';
import type { AbsenceDetail } from '../../../shared/api/absence.js';
import { formatInstantShort } from '../../ui/datetime.js';
import { formatDate } from '../../ui/format.js';
import { Page } from '../../ui/Page.js';
import { LoadProblem, Loading } from '../../ui/staff/Access.js';
import { useApiData } from '../../ui/staff/useApiData.js';
import { decisionText, SOURCE_LABELS } from './words.js';

export function CallListPage() {
  const { absenceId = '' } = useParams();
  const state = useApiData<AbsenceDetail>(`/api/desk/absences/${encodeURIComponent(absenceId)}`);
  const back = { to: `/desk/absences/${encodeURIComponent(absenceId)}`, label: 'К закрытию приёма' };
  const a = state.data;
  if (state.error) return <LoadProblem title="Список для обзвона" error={state.error} role="registrar" back={back} />;
  if (!a)
    return (
      <Page title="Список для обзвона" back={back}>
        <Loading />
      </Page>
    );
  const when = (i: string) => formatInstantShort(i, a.timeZone);
  const calls = a.visits.filter((v) => !v.portalAccount);
  const told = a.visits.filter((v) => v.portalAccount);
  const range =
    a.toDate !== a.fromDate ? `${formatDate(a.fromDate)} — ${formatDate(a.toDate)}` : formatDate(a.fromDate);
  return (
    <Page title="Список для обзвона" back={back} wide>
      <p className="lead">
        {a.doctor.name} не принимает: {range}. Позвоните пациентам и сообщите решение.
      </p>
      <p className="no-print">
        <button type="button" className="button button-secondary" onClick={() => window.print()}>
          Напечатать
        </button>
      </p>
      <table className="call-list">
        <caption>Пациенты, записанные не через портал ({calls.length})</caption>
        <thead>
          <tr>
            <th scope="col">Пациент</th>
            <th scope="col">Телефон</th>
            <th scope="col">Было</th>
            <th scope="col">Записан через</th>
            <th scope="col">Решение</th>
            <th scope="col">Дозвонились</th>
          </tr>
        </thead>
        <tbody>
          {calls.map((v) => (
            <tr key={v.appointmentId}>
              <td>{v.patient.name}</td>
              <td>{v.patient.phone ?? 'не указан'}</td>
              <td>{when(v.startAt)}</td>
              <td>{SOURCE_LABELS[v.source]}</td>
              <td>{decisionText(v, when)}</td>
              <td aria-label="Отметка о звонке"> </td>
            </tr>
          ))}
        </tbody>
      </table>
      {told.length > 0 && (
        <>
          <h2>Пациенты портала — уведомлены на портале и по почте ({told.length})</h2>
          <ul>
            {told.map((v) => (
              <li key={v.appointmentId}>
                {v.patient.name}, {when(v.startAt)}: {decisionText(v, when)}
              </li>
            ))}
          </ul>
        </>
      )}
    </Page>
  );
}
