// «Выдать направление» (SPEC 8a): the doctor gives the patient in front of them a referral to a
// specialty, optionally to one organisation, valid until a date (30 days by default, as clinics
// commonly give); the referrals this organisation gave the patient are listed below with
// «Отозвать». The patient then sees it in their card file with «Записаться по направлению».
import { useState } from 'react';
import { Link, useParams } from 'react-router';
import type {
  Organisation,
  ReferralListResponse,
  ReferralView,
  Specialty,
  StaffPatientResponse,
} from '../../../shared/api/index.js';
import { api } from '../../api.js';
import { Button } from '../../ui/Button.js';
import { ErrorSummary } from '../../ui/ErrorSummary.js';
import { Field } from '../../ui/Field.js';
import { Page } from '../../ui/Page.js';
import { LoadProblem, Loading } from '../../ui/staff/Access.js';
import { useApiData } from '../../ui/staff/useApiData.js';
import { capitalise } from '../patient/labels.js';
import { LiveMessage } from '../patient/LiveMessage.js';
import { asApiError } from '../patient/useApiData.js';
import { formatReferralDate, referralStateText } from '../patient/referrals.words.js';

const TITLE = 'Выдать направление';

const ids = {
  specialtyId: 'referral-specialty',
  organisationId: 'referral-organisation',
  validUntil: 'referral-until',
};

/** Today plus `days` as YYYY-MM-DD in the browser's calendar (only a default the server checks). */
function dateAhead(days: number): string {
  const d = new Date();
  d.setDate(d.getDate() + days);
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
}

function ReferralItem({ r, onRevoke, busy }: { r: ReferralView; onRevoke(r: ReferralView): void; busy: boolean }) {
  return (
    <li className="visit referral">
      <div className="visit-head">
        <p className="visit-when">{capitalise(r.specialty.name)}</p>
        <span className={`visit-status referral-state-${r.state}`}>{referralStateText(r.state)}</span>
      </div>
      <dl className="visit-details">
        <div>
          <dt>Куда</dt>
          <dd>{r.organisation ? r.organisation.name : 'Любая медицинская организация'}</dd>
        </div>
        <div>
          <dt>Действует</dt>
          <dd>
            с {formatReferralDate(r.validFrom)} по {formatReferralDate(r.validUntil)}
          </dd>
        </div>
        {r.issuedBy.doctorName && (
          <div>
            <dt>Выдал</dt>
            <dd>{r.issuedBy.doctorName}</dd>
          </div>
        )}
      </dl>
      {(r.state === 'valid' || r.state === 'not_yet_valid') && (
        <div className="visit-actions button-row">
          <Button variant="secondary" isDisabled={busy} onPress={() => onRevoke(r)}>
            Отозвать<span className="visually-hidden"> направление к специалисту «{r.specialty.name}»</span>
          </Button>
        </div>
      )}
    </li>
  );
}

export function DoctorReferralPage() {
  const { patientId = '' } = useParams();
  const path = `/api/doctor/patients/${encodeURIComponent(patientId)}`;
  const patient = useApiData<StaffPatientResponse>(path);
  const issued = useApiData<ReferralListResponse>(`${path}/referrals`);
  const specialties = useApiData<{ specialties: Specialty[] }>('/api/specialties');
  const organisations = useApiData<{ organisations: Organisation[] }>('/api/organisations');
  const [specialtyId, setSpecialtyId] = useState('');
  const [organisationId, setOrganisationId] = useState('');
  const [validUntil, setValidUntil] = useState(() => dateAhead(29));
  const [problem, setProblem] = useState<{ message: string; fields: Record<string, string>; n: number } | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const error = patient.error ?? issued.error;
  if (error) return <LoadProblem title={TITLE} error={error} role="doctor" onRetry={() => void patient.reload()} />;
  if (!patient.data || !issued.data || !specialties.data || !organisations.data)
    return (
      <Page title={TITLE}>
        <Loading />
      </Page>
    );
  const p = patient.data.patient;
  const name = [p.lastName, p.firstName, p.middleName].filter(Boolean).join(' ');

  const submit = async () => {
    setDone(null);
    const fields: Record<string, string> = {};
    if (!specialtyId) fields[ids.specialtyId] = 'Выберите специальность';
    if (!/^\d{4}-\d{2}-\d{2}$/.test(validUntil))
      fields[ids.validUntil] = 'Укажите, по какой день действует направление';
    if (Object.keys(fields).length) {
      setProblem({ message: '', fields, n: (problem?.n ?? 0) + 1 });
      return;
    }
    setBusy(true);
    try {
      const r = await api.post<ReferralView>(`${path}/referrals`, {
        specialtyId: Number(specialtyId),
        ...(organisationId ? { organisationId: Number(organisationId) } : {}),
        validUntil,
      });
      setProblem(null);
      setDone(
        `Направление выдано: ${r.specialty.name}, действует по ${formatReferralDate(r.validUntil)} Пациент увидит его в личном кабинете.`,
      );
      setSpecialtyId('');
      setOrganisationId('');
      await issued.reload();
    } catch (e) {
      const err = asApiError(e);
      const byField: Record<string, string> = {};
      for (const [k, v] of Object.entries(err.fields)) byField[ids[k as keyof typeof ids] ?? k] = v;
      const detail = err.details.field;
      if (typeof detail === 'string' && detail in ids) byField[ids[detail as keyof typeof ids]] = err.message;
      setProblem({
        message: Object.keys(byField).length ? '' : err.message,
        fields: byField,
        n: (problem?.n ?? 0) + 1,
      });
    } finally {
      setBusy(false);
    }
  };

  const revoke = async (r: ReferralView) => {
    setBusy(true);
    try {
      await api.post(`/api/doctor/referrals/${encodeURIComponent(r.id)}/revoke`);
      setDone(`Направление к специалисту «${r.specialty.name}» отозвано.`);
      await issued.reload();
    } catch (e) {
      setProblem({ message: asApiError(e).message, fields: {}, n: (problem?.n ?? 0) + 1 });
    } finally {
      setBusy(false);
    }
  };

  const fieldError = (id: string) => problem?.fields[id];
  return (
    <Page title={TITLE} back={{ to: '/doctor', label: 'К списку пациентов' }}>
      {problem && <ErrorSummary key={problem.n} message={problem.message || null} fields={problem.fields} />}
      <LiveMessage message={done} title="Готово" />
      <p className="lead">
        Пациент: {name}. Направление действует на одну запись; пациент запишется по нему сам, в личном кабинете.
      </p>
      <form
        className="form"
        noValidate
        onSubmit={(e) => {
          e.preventDefault();
          void submit();
        }}
      >
        <div className={`field${fieldError(ids.specialtyId) ? ' field-invalid' : ''}`}>
          <label htmlFor={ids.specialtyId}>К какому специалисту</label>
          {fieldError(ids.specialtyId) && (
            <p className="field-error" id={`${ids.specialtyId}-error`}>
              {fieldError(ids.specialtyId)}
            </p>
          )}
          <select
            id={ids.specialtyId}
            className="select"
            value={specialtyId}
            onChange={(e) => setSpecialtyId(e.target.value)}
            aria-invalid={Boolean(fieldError(ids.specialtyId)) || undefined}
            aria-describedby={fieldError(ids.specialtyId) ? `${ids.specialtyId}-error` : undefined}
          >
            <option value="">Выберите специальность</option>
            {specialties.data.specialties.map((s) => (
              <option key={s.id} value={String(s.id)}>
                {s.byReferral ? `${s.name} (по направлению)` : s.name}
              </option>
            ))}
          </select>
        </div>
        <div className={`field${fieldError(ids.organisationId) ? ' field-invalid' : ''}`}>
          <label htmlFor={ids.organisationId}>
            В какую медицинскую организацию<span className="optional"> (необязательно)</span>
          </label>
          <p className="hint" id={`${ids.organisationId}-hint`}>
            Если не выбрать, пациент запишется в любую организацию региона.
          </p>
          <select
            id={ids.organisationId}
            className="select"
            value={organisationId}
            onChange={(e) => setOrganisationId(e.target.value)}
            aria-describedby={`${ids.organisationId}-hint`}
          >
            <option value="">Любая медицинская организация</option>
            {organisations.data.organisations.map((o) => (
              <option key={o.id} value={String(o.id)}>
                {o.shortName || o.name}
              </option>
            ))}
          </select>
        </div>
        <Field
          name={ids.validUntil}
          label="Действует по"
          hint="Последний день, на который можно записаться. Обычно направление действует 30 дней."
          type="date"
          value={validUntil}
          onChange={setValidUntil}
          error={fieldError(ids.validUntil)}
          isRequired
          width="medium"
        />
        <Button type="submit" isDisabled={busy}>
          Выдать направление
        </Button>
      </form>
      <section className="staff-section" aria-labelledby="issued-title">
        <h2 id="issued-title">Направления этого пациента</h2>
        {issued.data.referrals.length === 0 ? (
          <p>Ваша организация этому пациенту направлений не выдавала.</p>
        ) : (
          <ul className="visit-list">
            {issued.data.referrals.map((r) => (
              <ReferralItem key={r.id} r={r} busy={busy} onRevoke={(x) => void revoke(x)} />
            ))}
          </ul>
        )}
      </section>
      <p>
        <Link to="/doctor">К списку пациентов</Link>
      </p>
    </Page>
  );
}
