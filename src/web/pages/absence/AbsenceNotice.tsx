// «Врач не принимает…» above a doctor's schedule (patients' and the desk's): the doctor's
// closed days as the clinic publishes them — a vacation or training is named, sickness is not.
import type { DoctorAbsenceNotices } from '../../../shared/api/absence.js';
import { Notice } from '../../ui/Notice.js';
import { useApiData } from '../../ui/staff/useApiData.js';

export function AbsenceNotice({ doctorId }: { doctorId: number }) {
  const { data } = useApiData<DoctorAbsenceNotices>(`/api/doctors/${doctorId}/absences`);
  if (!data || data.notices.length === 0) return null;
  return (
    <Notice kind="warning" title={data.notices.length === 1 ? data.notices[0].text : 'Врач не принимает'}>
      {data.notices.length > 1 && (
        <ul>
          {data.notices.map((n) => (
            <li key={n.startsAt}>{n.text}</li>
          ))}
        </ul>
      )}
      <p>
        В эти дни записаться к врачу нельзя. Запишитесь к другому врачу той же специальности или встаньте в очередь.
      </p>
    </Notice>
  );
}
