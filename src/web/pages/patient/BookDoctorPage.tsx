// «Выберите врача»: doctors of the chosen specialty with their organisation, room and
// the nearest free time.
import { useState, type FormEvent } from 'react';
import { Link, useNavigate, useParams, useSearchParams } from 'react-router';
import { Button } from '../../ui/Button.js';
import { formatInstantShort } from '../../ui/datetime.js';
import { ErrorSummary } from '../../ui/ErrorSummary.js';
import { Page } from '../../ui/Page.js';
import { RadioChoice } from '../../ui/RadioChoice.js';
import type { DoctorsResponse } from './endpoints.js';
import { intId } from './journey.js';
import { capitalise } from './labels.js';
import { LoadState, useApiData } from './useApiData.js';

export function BookDoctorPage() {
  const { personId = '', specialtyId = '' } = useParams();
  const navigate = useNavigate();
  // «Записаться по направлению» of a referral to one organisation: that organisation's doctors.
  const organisationId = intId(useSearchParams()[0].get('organisationId') ?? undefined);
  const state = useApiData<DoctorsResponse>(
    `/api/doctors?specialtyId=${encodeURIComponent(specialtyId)}${organisationId ? `&organisationId=${organisationId}` : ''}`,
  );
  const [choice, setChoice] = useState<string | null>(null);
  const [error, setError] = useState<{ text: string; attempt: number } | null>(null);
  const title = 'Выберите врача';
  const doctors = state.data?.doctors ?? [];
  const specialtyName = doctors[0]?.specialty.name ?? null;

  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (!choice) {
      setError({ text: 'Выберите врача', attempt: (error?.attempt ?? 0) + 1 });
      return;
    }
    void navigate(`/book/${personId}/doctor/${choice}`);
  };

  return (
    <Page title={title} back={{ to: `/book/${personId}/specialty`, label: 'Назад' }}>
      <LoadState state={state} />
      {state.data && (
        <>
          <ErrorSummary key={error?.attempt ?? 0} message={null} fields={error ? { doctor: error.text } : {}} />
          {specialtyName && <p className="lead">Специальность: {capitalise(specialtyName)}</p>}
          {doctors.length === 0 ? (
            <>
              <p>Врачей этой специальности, к которым можно записаться через портал, сейчас нет.</p>
              <p>
                <Link to={`/book/${personId}/specialty`}>Выбрать другую специальность</Link>
              </p>
            </>
          ) : (
            <form className="form" noValidate onSubmit={submit}>
              <RadioChoice
                id="doctor"
                label={title}
                labelHidden
                value={choice}
                onChange={setChoice}
                error={error?.text}
                options={doctors.map((d) => ({
                  value: String(d.id),
                  label: d.name,
                  isDisabled: d.nearestFreeAt === null,
                  hint: (
                    <>
                      {d.organisation.name}, {d.organisation.address}, кабинет {d.room}
                      <br />
                      <strong>
                        {d.nearestFreeAt
                          ? `Ближайшее время: ${formatInstantShort(d.nearestFreeAt, d.organisation.timeZone)}`
                          : 'Нет свободного времени'}
                      </strong>
                    </>
                  ),
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
