// «Выберите специальность врача»: specialties this person may see are choosable, the others
// are shown disabled with the reason; one «по направлению» says so, and without a referral
// says how to get one instead of offering it.
import { useState, type FormEvent } from 'react';
import { useNavigate, useParams } from 'react-router';
import { Button } from '../../ui/Button.js';
import { ErrorSummary } from '../../ui/ErrorSummary.js';
import { Page } from '../../ui/Page.js';
import { RadioChoice } from '../../ui/RadioChoice.js';
import type { SpecialtiesResponse } from './endpoints.js';
import { useJourneyState } from './journey.js';
import { capitalise } from './labels.js';
import { specialtyReferralHint } from './referrals.words.js';
import { LoadState, useApiData } from './useApiData.js';

export function BookSpecialtyPage() {
  const { personId = '' } = useParams();
  const navigate = useNavigate();
  const journey = useJourneyState();
  const state = useApiData<SpecialtiesResponse>(`/api/specialties?personId=${encodeURIComponent(personId)}`);
  const [choice, setChoice] = useState<string | null>(null);
  const [error, setError] = useState<{ text: string; attempt: number } | null>(null);
  const title = 'Выберите специальность врача';
  const back = { to: journey.back ?? '/cardfile', label: 'Назад' };

  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (!choice) {
      setError({ text: 'Выберите специальность врача', attempt: (error?.attempt ?? 0) + 1 });
      return;
    }
    void navigate(`/book/${personId}/specialty/${choice}`);
  };

  const specialties = state.data?.specialties ?? [];
  return (
    <Page title={title} back={back}>
      <LoadState state={state} />
      {state.data && (
        <>
          <ErrorSummary key={error?.attempt ?? 0} message={null} fields={error ? { specialty: error.text } : {}} />
          {specialties.length === 0 ? (
            <p>Сейчас нет специальностей, к которым можно записаться через портал.</p>
          ) : (
            <form className="form" noValidate onSubmit={submit}>
              <RadioChoice
                id="specialty"
                label={title}
                labelHidden
                value={choice}
                onChange={setChoice}
                error={error?.text}
                options={specialties.map((s) => ({
                  value: String(s.id),
                  label: capitalise(s.name),
                  // «По направлению» without a referral: how to get one instead of the booking.
                  isDisabled: s.refusal !== null || (s.byReferral && s.referralValidUntil === null),
                  hint: s.refusal ?? specialtyReferralHint(s) ?? s.restriction ?? undefined,
                }))}
              />
              <div className="button-row">
                <Button type="submit">Продолжить</Button>
              </div>
            </form>
          )}
        </>
      )}
    </Page>
  );
}
