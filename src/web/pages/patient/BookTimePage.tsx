// «Выберите дату и время»: the doctor's schedule; choosing a free time holds it for a few
// minutes and leads to the check page.
import { useState } from 'react';
import { Link, useNavigate, useParams } from 'react-router';
import type { ScheduleResponse, ScheduleSlot } from '../../../shared/api/index.js';
import { api } from '../../api.js';
import { ErrorSummary } from '../../ui/ErrorSummary.js';
import { zoneNote } from '../../ui/format.js';
import { Page } from '../../ui/Page.js';
import { useJourneyState } from './journey.js';
import { DoctorFacts, ScheduleGrid, ScheduleLegend } from './ScheduleGrid.js';
import { SchedulePaging, useScheduleUrl } from './SchedulePaging.js';
import { useMineCancel } from './useMineCancel.js';
import { namedFreeTimes, NearestFreeTimes, type FreeTimes } from './NearestFreeTimes.js';
import { LiveMessage } from './LiveMessage.js';
import { asApiError, LoadState, useApiData, useLoginRedirect } from './useApiData.js';
import { WaitlistPanel } from '../waitlist/WaitlistPanel.js';

export function BookTimePage() {
  const { personId = '', doctorId = '' } = useParams();
  const navigate = useNavigate();
  const journey = useJourneyState();
  // For this person: with a referral to the specialty, the times kept for referrals are shown too.
  const scheduleUrl = useScheduleUrl(doctorId);
  const state = useApiData<ScheduleResponse>(
    `${scheduleUrl}${scheduleUrl.includes('?') ? '&' : '?'}personId=${encodeURIComponent(personId)}`,
  );
  const redirect = useLoginRedirect();
  const [error, setError] = useState<{ text: string; attempt: number } | null>(
    journey.error ? { text: journey.error, attempt: 1 } : null,
  );
  const [pending, setPending] = useState<number | null>(null);
  // The nearest free times a «just taken» refusal named, until the next choice.
  const [nearest, setNearest] = useState<FreeTimes | null>(null);
  const mine = useMineCancel(() => void state.reload(), state.data?.doctor.organisation.phone);
  const s = state.data;
  const title = 'Выберите дату и время';
  const back = s ? `/book/${personId}/specialty/${s.doctor.specialty.id}` : `/book/${personId}/specialty`;

  const hold = async (slot: Pick<ScheduleSlot, 'id'>) => {
    setPending(slot.id);
    try {
      await api.post('/api/holds', { slotId: slot.id, personId });
      const q = new URLSearchParams({ doctor: doctorId });
      if (s) q.set('specialty', String(s.doctor.specialty.id));
      void navigate(`/book/${personId}/check/${slot.id}?${q.toString()}`);
    } catch (e) {
      if (redirect(e)) return;
      const a = asApiError(e);
      setError({ text: a.message, attempt: (error?.attempt ?? 0) + 1 });
      setNearest(namedFreeTimes(a));
      setPending(null);
      void state.reload();
    }
  };

  const zone = s ? zoneNote(s.doctor.organisation.timeZone, s.doctor.organisation.address) : null;
  return (
    <Page title={title} back={{ to: back, label: 'Назад' }} wide>
      {error && <ErrorSummary key={error.attempt} message={error.text} />}
      {nearest && s && (
        <NearestFreeTimes
          times={nearest}
          timeZone={s.doctor.organisation.timeZone}
          pendingSlotId={pending}
          onChoose={(id) => void hold({ id })}
        />
      )}
      <LiveMessage message={mine.done} title="Запись отменена" />
      <LoadState state={state} />
      {s && (
        <>
          <DoctorFacts doctor={s.doctor} />
          {zone && <p className="hint">{zone}</p>}
          <WaitlistPanel schedule={s} personId={personId}>
            <p>
              <Link to={back}>Выбрать другого врача</Link>
            </p>
          </WaitlistPanel>
          <ScheduleLegend signedIn freeText="свободное время: нажмите, чтобы выбрать его" />
          <h2>Расписание</h2>
          <SchedulePaging schedule={s} />
          <ScheduleGrid days={s.days} onFree={(slot) => void hold(slot)} onMine={mine.open} pendingSlotId={pending} />
          {mine.dialog}
        </>
      )}
    </Page>
  );
}
