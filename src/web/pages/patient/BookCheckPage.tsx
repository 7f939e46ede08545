// «Проверьте данные записи»: the held time with «Изменить» links, how long it stays held,
// and «Подтвердить» (books it) or «Отмена» (releases it). When the time was taken meanwhile
// (the hold ran out and someone booked it), the refusal's nearest free times of the doctor
// are offered, each holding that time and coming back here for it.
import { useEffect, useState } from 'react';
import { Link, useNavigate, useParams, useSearchParams } from 'react-router';
import type { AppointmentDetail, HoldResponse } from '../../../shared/api/index.js';
import { api } from '../../api.js';
import { Button } from '../../ui/Button.js';
import { formatInstantLong, formatInstantTime } from '../../ui/datetime.js';
import { ErrorSummary } from '../../ui/ErrorSummary.js';
import { formatDate, formatLocalDateTime, plural, zoneNote } from '../../ui/format.js';
import { Notice } from '../../ui/Notice.js';
import { Page } from '../../ui/Page.js';
import { SummaryList } from '../../ui/SummaryList.js';
import { intId } from './journey.js';
import { capitalise } from './labels.js';
import { namedFreeTimes, NearestFreeTimes, type FreeTimes } from './NearestFreeTimes.js';
import { asApiError, LoadState, useApiData, useLoginRedirect } from './useApiData.js';

function useNow(everyMs: number): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const t = setInterval(() => setNow(Date.now()), everyMs);
    return () => clearInterval(t);
  }, [everyMs]);
  return now;
}

export function BookCheckPage() {
  const { slotId = '' } = useParams();
  // Another time chosen here is a new page: nothing of the last one's state carries over.
  return <BookCheck key={slotId} />;
}

function BookCheck() {
  const { personId = '', slotId = '' } = useParams();
  const [params] = useSearchParams();
  const navigate = useNavigate();
  const redirect = useLoginRedirect();
  const state = useApiData<HoldResponse>(
    `/api/holds/${encodeURIComponent(slotId)}?personId=${encodeURIComponent(personId)}`,
  );
  const now = useNow(15_000);
  const [error, setError] = useState<{ code: string; text: string; attempt: number } | null>(null);
  const [busy, setBusy] = useState<'book' | 'release' | null>(null);
  // The nearest free times a «just taken» refusal named, and the one being held now.
  const [nearest, setNearest] = useState<FreeTimes | null>(null);
  const [holding, setHolding] = useState<number | null>(null);
  const hold = state.data;

  const doctorId = hold ? String(hold.doctor.id) : intId(params.get('doctor') ?? undefined);
  const specialtyId = intId(params.get('specialty') ?? undefined);
  const schedulePath = doctorId ? `/book/${personId}/doctor/${doctorId}` : `/book/${personId}/specialty`;
  const doctorsPath = specialtyId ? `/book/${personId}/specialty/${specialtyId}` : `/book/${personId}/specialty`;

  const fail = (e: unknown) => {
    if (redirect(e)) return;
    const a = asApiError(e);
    setError({ code: a.code, text: a.message, attempt: (error?.attempt ?? 0) + 1 });
    setNearest(namedFreeTimes(a));
    setBusy(null);
    setHolding(null);
  };

  const holdOther = async (otherId: number) => {
    setHolding(otherId);
    try {
      await api.post('/api/holds', { slotId: otherId, personId });
      void navigate(`/book/${personId}/check/${otherId}?${params.toString()}`, { replace: true });
    } catch (e) {
      fail(e);
    }
  };

  const confirm = async () => {
    setBusy('book');
    try {
      const created = await api.post<AppointmentDetail>('/api/appointments', { slotId: Number(slotId), personId });
      void navigate(`/appointments/${created.id}?done=1`, { replace: true });
    } catch (e) {
      fail(e);
    }
  };
  const release = async () => {
    setBusy('release');
    try {
      await api.delete(`/api/holds/${encodeURIComponent(slotId)}`);
    } catch {
      // The hold may have expired already: either way the time is no longer held.
    }
    void navigate(schedulePath, { replace: true });
  };

  const title = 'Проверьте данные записи';
  const back = { to: schedulePath, label: 'Назад' };
  const loadFailed = !hold && state.error;
  if (
    loadFailed ||
    (error && error.code !== 'VALIDATION_FAILED' && error.code !== 'NETWORK' && error.code !== 'RATE_LIMITED')
  ) {
    const text = error?.text ?? state.error?.message ?? '';
    return (
      <Page title="Записаться не получилось" back={back}>
        <ErrorSummary key={error?.attempt ?? 0} message={text} />
        {nearest && hold && (
          <NearestFreeTimes
            times={nearest}
            timeZone={hold.timeZone}
            pendingSlotId={holding}
            onChoose={(id) => void holdOther(id)}
          />
        )}
        <p>
          <Link className="button" to={schedulePath}>
            Выбрать время ещё раз
          </Link>
        </p>
        <p>
          <Link to="/cardfile">Перейти в «Мою картотеку»</Link>
        </p>
      </Page>
    );
  }
  if (!hold) {
    return (
      <Page title={title} back={back}>
        <LoadState state={state} />
      </Page>
    );
  }

  const heldUntil = new Date(hold.heldUntil).getTime();
  const minutesLeft = Math.max(0, Math.ceil((heldUntil - now) / 60_000));
  const expired = heldUntil <= now;
  const zone = zoneNote(hold.timeZone, hold.organisation.address);
  return (
    <Page title={title} back={back}>
      {error && <ErrorSummary key={error.attempt} message={error.text} />}
      <SummaryList
        rows={[
          {
            key: 'Пациент',
            value: (
              <>
                {hold.person.name}
                <br />
                <span className="hint">Дата рождения: {formatDate(hold.person.birthDate)}</span>
              </>
            ),
            change: '/book',
          },
          { key: 'Специальность', value: capitalise(hold.doctor.specialty), change: `/book/${personId}/specialty` },
          { key: 'Врач', value: hold.doctor.name, change: doctorsPath },
          { key: 'Кабинет', value: hold.doctor.room },
          { key: 'Медицинская организация', value: hold.organisation.name },
          { key: 'Адрес', value: hold.organisation.address },
          {
            key: 'Дата и время',
            value: (
              <>
                <strong>{formatLocalDateTime(hold.localStart)}</strong>
                {zone && (
                  <>
                    <br />
                    <span className="hint">{zone}</span>
                  </>
                )}
              </>
            ),
            change: schedulePath,
          },
        ]}
      />
      {hold.cancelClosed && !expired && (
        <Notice kind="warning" title="Отменить этот визит через портал будет нельзя">
          <p>
            Время отмены через портал — до {formatInstantLong(hold.cancelUntil, hold.timeZone)} — уже прошло:
            регистратура формирует списки пациентов на этот день и подбирает медицинские карты. Если после записи планы
            изменятся, позвоните в регистратуру по телефону {hold.organisation.phone}.
          </p>
        </Notice>
      )}
      {expired ? (
        <div className="card" role="status">
          <p>
            <strong>Время больше не закреплено за вами:</strong> срок подтверждения истёк. Выберите время ещё раз.
          </p>
          <p>
            <Link to={schedulePath}>Выбрать время ещё раз</Link>
          </p>
        </div>
      ) : (
        <>
          <p className="hold-note">
            Время закреплено за вами до {formatInstantTime(hold.heldUntil, hold.timeZone)} (
            {minutesLeft <= 1
              ? 'осталось меньше минуты'
              : `осталось ${minutesLeft} ${plural(minutesLeft, ['минута', 'минуты', 'минут'])}`}
            ). Подтвердите запись до этого времени.
          </p>
          <div className="button-row">
            <Button isPending={busy === 'book'} isDisabled={busy === 'release'} onPress={() => void confirm()}>
              Подтвердить
            </Button>
            <Button
              variant="secondary"
              isPending={busy === 'release'}
              isDisabled={busy === 'book'}
              onPress={() => void release()}
            >
              Отмена
            </Button>
          </div>
        </>
      )}
    </Page>
  );
}
