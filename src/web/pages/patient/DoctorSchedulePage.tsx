// A doctor's schedule for everyone (SPEC §7): free, busy and blocked times; the signed-in
// account's own appointments are marked (red frame, icon, «Ваша запись») and can be
// cancelled from here. A free time leads into the booking journey with it preselected.
import { Link, useParams } from 'react-router';
import type { ScheduleResponse } from '../../../shared/api/index.js';
import { useSession } from '../../session.js';
import { zoneNote } from '../../ui/format.js';
import { Page } from '../../ui/Page.js';
import { loginPath } from './auth.js';
import { LiveMessage } from './LiveMessage.js';
import { DoctorFacts, ScheduleGrid, ScheduleLegend } from './ScheduleGrid.js';
import { SchedulePaging, useScheduleUrl } from './SchedulePaging.js';
import { LoadState, useApiData } from './useApiData.js';
import { useMineCancel } from './useMineCancel.js';
import { WaitlistPanel } from '../waitlist/WaitlistPanel.js';
import { AbsenceNotice } from '../absence/AbsenceNotice.js';

export function DoctorSchedulePage() {
  const { id = '' } = useParams();
  const { account } = useSession();
  const state = useApiData<ScheduleResponse>(useScheduleUrl(id));
  const mine = useMineCancel(() => void state.reload(), state.data?.doctor.organisation.phone);
  const s = state.data;
  const zone = s ? zoneNote(s.doctor.organisation.timeZone, s.doctor.organisation.address) : null;
  const back = { to: s ? `/doctors?specialty=${s.doctor.specialty.id}` : '/doctors', label: 'Все врачи' };
  return (
    <Page title={s ? `Расписание врача: ${s.doctor.name}` : 'Расписание врача'} back={back} wide>
      <LiveMessage message={mine.done} title="Запись отменена" />
      <LoadState state={state} />
      {s && (
        <>
          <DoctorFacts doctor={s.doctor} />
          <AbsenceNotice doctorId={s.doctor.id} />
          <p>Телефон регистратуры: {s.doctor.organisation.phone}</p>
          {zone && <p className="hint">{zone}</p>}
          {!account && (
            <p>
              Чтобы записаться, выберите свободное время — портал попросит{' '}
              <Link to={loginPath(`/doctors/${s.doctor.id}`)}>войти</Link>.
            </p>
          )}
          <WaitlistPanel schedule={s} />
          <ScheduleLegend signedIn={Boolean(account)} freeText="свободное время: нажмите, чтобы записаться" />
          <h2>Расписание</h2>
          <SchedulePaging schedule={s} />
          <ScheduleGrid
            days={s.days}
            freeHref={(slot) => `/book?doctor=${s.doctor.id}&slot=${slot.id}`}
            onMine={mine.open}
          />
          {mine.dialog}
          <p>
            <Link to={`/book?doctor=${s.doctor.id}`}>Записаться к этому врачу</Link>
          </p>
        </>
      )}
    </Page>
  );
}
