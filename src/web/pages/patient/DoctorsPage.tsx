// «Расписание врачей»: doctors by specialty, open to everyone.
import { useEffect, useState, type FormEvent } from 'react';
import { Link, useSearchParams } from 'react-router';
import { Button } from '../../ui/Button.js';
import { formatInstantShort } from '../../ui/datetime.js';
import { Page } from '../../ui/Page.js';
import type { DoctorsResponse, SpecialtiesResponse } from './endpoints.js';
import { capitalise } from './labels.js';
import { HOW_TO_GET_REFERRAL } from './referrals.words.js';
import { LoadState, useApiData } from './useApiData.js';

export function DoctorsPage() {
  const [params, setParams] = useSearchParams();
  const chosen = /^\d+$/.test(params.get('specialty') ?? '') ? (params.get('specialty') as string) : '';
  const [draft, setDraft] = useState(chosen);
  useEffect(() => setDraft(chosen), [chosen]);
  const specialties = useApiData<SpecialtiesResponse>('/api/specialties');
  const doctors = useApiData<DoctorsResponse>(chosen ? `/api/doctors?specialtyId=${chosen}` : '/api/doctors');

  const submit = (e: FormEvent) => {
    e.preventDefault();
    setParams(draft ? { specialty: draft } : {});
  };

  const list = doctors.data?.doctors ?? [];
  return (
    <Page title="Расписание врачей">
      <p>Посмотрите свободное время врачей. Чтобы записаться, войдите в личный кабинет.</p>
      {/* biome-ignore lint/a11y/useSemanticElements: <search> is not exposed as a landmark by every screen reader yet; role="search" on the form is */}
      <form className="filter" onSubmit={submit} role="search" aria-label="Выбор специальности">
        <div className="field">
          <label htmlFor="specialty-filter">Специальность</label>
          <select
            id="specialty-filter"
            className="select input-medium"
            value={draft}
            onChange={(e) => setDraft(e.target.value)}
          >
            <option value="">Все специальности</option>
            {(specialties.data?.specialties ?? []).map((s) => (
              <option key={s.id} value={String(s.id)}>
                {s.byReferral ? `${capitalise(s.name)} (по направлению)` : capitalise(s.name)}
              </option>
            ))}
          </select>
        </div>
        <Button type="submit" variant="secondary">
          Показать
        </Button>
      </form>
      {specialties.data?.specialties.some((s) => String(s.id) === chosen && s.byReferral) && (
        <p className="hint referral-note">{HOW_TO_GET_REFERRAL}</p>
      )}
      <LoadState state={doctors} />
      {doctors.data && (
        <>
          <h2 className="results-title">
            {list.length === 0 ? 'Врачей не найдено' : `Найдено врачей: ${list.length}`}
          </h2>
          <ul className="list-plain doctor-list">
            {list.map((d) => (
              <li className="doctor-item" key={d.id}>
                <h3>
                  <Link to={`/doctors/${d.id}`}>{d.name}</Link>
                </h3>
                <p>
                  {capitalise(d.specialty.name)}
                  <br />
                  {d.organisation.name}, {d.organisation.address}, кабинет {d.room}
                </p>
                <p className="doctor-nearest">
                  {d.nearestFreeAt
                    ? `Ближайшее время: ${formatInstantShort(d.nearestFreeAt, d.organisation.timeZone)}`
                    : 'Нет свободного времени'}
                </p>
              </li>
            ))}
          </ul>
        </>
      )}
    </Page>
  );
}
