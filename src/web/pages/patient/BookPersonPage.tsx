// «Кого записать к врачу?» — the first step of the booking journey. Skipped when the card
// file has exactly one person. `?doctor=&slot=` (from a doctor's public schedule) lead
// straight to that doctor's schedule or to holding that time.
import { useCallback, useEffect, useRef, useState, type FormEvent } from 'react';
import { Link, useNavigate, useSearchParams } from 'react-router';
import type { CardFilePerson } from '../../../shared/api/index.js';
import { api } from '../../api.js';
import { Button } from '../../ui/Button.js';
import { ErrorSummary } from '../../ui/ErrorSummary.js';
import { formatDate } from '../../ui/format.js';
import { Loading } from '../../ui/Loading.js';
import { Page } from '../../ui/Page.js';
import { RadioChoice } from '../../ui/RadioChoice.js';
import { notBookableReason, personName } from './labels.js';
import { asApiError, LoadState, useApiData } from './useApiData.js';

export interface JourneyState {
  /** Where the back link of the next step leads. */
  back?: string;
  /** An error to show on arrival (e.g. the preselected time was taken). */
  error?: string;
}

export function BookPersonPage() {
  const [params] = useSearchParams();
  const doctorId = params.get('doctor');
  const slotId = params.get('slot');
  const navigate = useNavigate();
  const state = useApiData<{ persons: CardFilePerson[] }>('/api/cardfile');
  const [choice, setChoice] = useState<string | null>(null);
  const [error, setError] = useState<{ text: string; attempt: number } | null>(null);
  const [busy, setBusy] = useState(false);
  const forwarded = useRef(false);
  const persons = state.data?.persons ?? [];
  const only = persons.length === 1 ? persons[0] : null;
  const hasMain = persons.some((p) => p.isMain);

  const goOn = useCallback(
    async (personId: string, replace: boolean) => {
      const journey: JourneyState = { back: replace ? '/' : '/book' };
      if (doctorId && /^\d+$/.test(doctorId)) {
        const schedule = `/book/${personId}/doctor/${doctorId}`;
        if (slotId && /^\d+$/.test(slotId)) {
          setBusy(true);
          try {
            await api.post('/api/holds', { slotId: Number(slotId), personId });
            void navigate(`/book/${personId}/check/${slotId}?doctor=${doctorId}`, { replace });
          } catch (e) {
            void navigate(schedule, { replace, state: { ...journey, error: asApiError(e).message } });
          }
          return;
        }
        void navigate(schedule, { replace, state: journey });
        return;
      }
      void navigate(`/book/${personId}/specialty`, { replace, state: journey });
    },
    [doctorId, slotId, navigate],
  );

  useEffect(() => {
    if (only && only.status === 'confirmed' && !forwarded.current) {
      forwarded.current = true;
      void goOn(only.id, true);
    }
  }, [only, goOn]);

  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (!choice) {
      setError({ text: 'Выберите, кого записать к врачу', attempt: (error?.attempt ?? 0) + 1 });
      return;
    }
    void goOn(choice, false);
  };

  const title = 'Кого записать к врачу?';
  if (!state.data) {
    return (
      <Page title={title}>
        <LoadState state={state} />
      </Page>
    );
  }
  if (!hasMain) {
    return (
      <Page title="Сначала заполните личные данные">
        <p>Запись к врачу доступна после того, как вы заполните свои персональные данные и модератор их подтвердит.</p>
        <p>
          <Link className="button" to="/profile">
            Заполнить личные данные
          </Link>
        </p>
      </Page>
    );
  }
  if (only) {
    if (only.status === 'confirmed' || busy) {
      return (
        <Page title={title}>
          <Loading />
        </Page>
      );
    }
    return (
      <Page title="Запись к врачу пока недоступна" back={{ to: '/cardfile', label: 'Моя картотека' }}>
        <p>{notBookableReason(only.status)}</p>
        <p>
          <Link to="/cardfile">Перейти в «Мою картотеку»</Link>
        </p>
      </Page>
    );
  }
  return (
    <Page title={title} back={{ to: '/', label: 'На главную' }}>
      <ErrorSummary key={error?.attempt ?? 0} message={null} fields={error ? { person: error.text } : {}} />
      <form className="form" noValidate onSubmit={submit}>
        <RadioChoice
          id="person"
          label={title}
          labelHidden
          hint="Записать можно только людей, чьи данные подтвердил модератор"
          value={choice}
          onChange={setChoice}
          error={error?.text}
          options={persons.map((p) => ({
            value: p.id,
            label: personName(p),
            isDisabled: p.status !== 'confirmed',
            hint: (
              <>
                Дата рождения: {formatDate(p.birthDate)}
                {p.status !== 'confirmed' && (
                  <>
                    <br />
                    {notBookableReason(p.status)}
                  </>
                )}
              </>
            ),
          }))}
        />
        <div className="button-row">
          <Button type="submit" isPending={busy}>
            Продолжить
          </Button>
        </div>
      </form>
      <p>
        <Link to="/cardfile/add">Добавить человека в картотеку</Link>
      </p>
    </Page>
  );
}
