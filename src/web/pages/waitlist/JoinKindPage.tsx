// «Выберите тип записи в очередь»: to this doctor, or to any doctor of this specialty in this
// organisation; «Подтвердить» puts the person on the waitlist (POST /api/waitlist).
import { useState, type FormEvent } from 'react';
import { Link, useLocation, useNavigate, useSearchParams } from 'react-router';
import type { CardFilePerson, DoctorSummary, WaitlistEntry } from '../../../shared/api/index.js';
import { api } from '../../api.js';
import { Button } from '../../ui/Button.js';
import { ErrorSummary } from '../../ui/ErrorSummary.js';
import { Notice } from '../../ui/Notice.js';
import { Page } from '../../ui/Page.js';
import { RadioChoice } from '../../ui/RadioChoice.js';
import { SummaryList } from '../../ui/SummaryList.js';
import { capitalise, personName } from '../patient/labels.js';
import { asApiError, LoadState, useApiData, useLoginRedirect } from '../patient/useApiData.js';
import { NoDoctorPage, notWaitlistableReason, type JoinState } from './JoinShared.js';
import { intOrNull, joinedPath, joinPath, uuidOrNull } from './paths.js';

type Kind = WaitlistEntry['kind'];

interface KindErrors {
  message: string | null;
  kind: string | null;
  code: string | null;
  attempt: number;
}

/** Which kinds this person already waits with for this doctor. */
function activeKinds(person: CardFilePerson, doctor: DoctorSummary): Set<Kind> {
  const kinds = new Set<Kind>();
  for (const e of person.waitlist ?? []) {
    if (e.kind === 'doctor' && e.doctor?.id === doctor.id) kinds.add('doctor');
    if (
      e.kind === 'specialty' &&
      e.specialty.id === doctor.specialty.id &&
      e.organisation.id === doctor.organisation.id
    ) {
      kinds.add('specialty');
    }
  }
  return kinds;
}

export function JoinKindPage() {
  const [params] = useSearchParams();
  const doctorId = intOrNull(params.get('doctor'));
  const personId = uuidOrNull(params.get('person'));
  const location = useLocation();
  const navigate = useNavigate();
  const redirect = useLoginRedirect();
  const cardfile = useApiData<{ persons: CardFilePerson[] }>(doctorId && personId ? '/api/cardfile' : null);
  const doctorState = useApiData<DoctorSummary>(doctorId && personId ? `/api/doctors/${doctorId}` : null);
  const sameSpecialty = useApiData<{ doctors: DoctorSummary[] }>(
    doctorState.data
      ? `/api/doctors?specialtyId=${doctorState.data.specialty.id}&organisationId=${doctorState.data.organisation.id}`
      : null,
  );
  const [kind, setKind] = useState<Kind | null>(null);
  const [errors, setErrors] = useState<KindErrors>({ message: null, kind: null, code: null, attempt: 0 });
  const [busy, setBusy] = useState(false);

  if (!doctorId) return <NoDoctorPage />;
  if (!personId) {
    // No person in the address: ask the person question first.
    return (
      <Page title="Кого поставить в очередь?" back={{ to: `/doctors/${doctorId}`, label: 'Расписание врача' }}>
        <p>
          <Link to={joinPath(doctorId)}>Выберите человека</Link>, которого нужно поставить в очередь.
        </p>
      </Page>
    );
  }

  const title = 'Выберите тип записи в очередь';
  const back = {
    to: (location.state as JoinState | null)?.back ?? `/book/${personId}/doctor/${doctorId}`,
    label: 'Назад',
  };
  const doctor = doctorState.data;
  const person = cardfile.data?.persons.find((p) => p.id === personId) ?? null;
  if (!doctor || !cardfile.data) {
    return (
      <Page title={title} back={back}>
        <LoadState state={doctorState.error ? doctorState : cardfile} />
      </Page>
    );
  }
  if (!person) {
    return (
      <Page title="Человек не найден" back={{ to: joinPath(doctorId), label: 'Назад' }}>
        <p>Этого человека нет в вашей картотеке.</p>
        <p>
          <Link to={joinPath(doctorId)}>Выбрать человека из картотеки</Link>
        </p>
      </Page>
    );
  }
  const notAllowed = notWaitlistableReason(person.status);
  if (notAllowed) {
    return (
      <Page title="Встать в очередь пока нельзя" back={back}>
        <p>
          {personName(person)}: {notAllowed}
        </p>
        <p>
          <Link to="/cardfile">Перейти в «Мою картотеку»</Link>
        </p>
      </Page>
    );
  }
  const org = doctor.organisation;
  if (!org.waitlistAllowed) {
    return (
      <Page title="Медицинская организация не ведёт очередь" back={back}>
        <p>
          {org.name} не ведёт очередь. Записаться можно по телефону регистратуры{' '}
          <a href={`tel:${org.phone.replace(/[^\d+]/g, '')}`}>{org.phone}</a>.
        </p>
      </Page>
    );
  }

  const already = activeKinds(person, doctor);
  // The queue to any doctor of the specialty is for when none of them has free time.
  const othersFree = (sameSpecialty.data?.doctors ?? []).some((d) => d.id !== doctor.id && d.nearestFreeAt !== null);
  const specialty = doctor.specialty.name.toLowerCase();
  const summary = (
    <SummaryList
      rows={[
        { key: 'Пациент', value: personName(person) },
        { key: 'Врач', value: doctor.name },
        { key: 'Специальность', value: capitalise(doctor.specialty.name) },
        { key: 'Медицинская организация', value: org.name },
      ]}
    />
  );
  if (already.has('doctor') && (already.has('specialty') || othersFree)) {
    return (
      <Page title="Человек уже в очереди" back={back}>
        {summary}
        <p>
          {already.has('specialty')
            ? 'Этот человек уже стоит в очереди и к этому врачу, и к любому врачу этой специальности.'
            : 'Этот человек уже стоит в очереди к этому врачу.'}
        </p>
        <p>
          <Link to="/cardfile">Посмотреть очередь в «Моей картотеке»</Link>
        </p>
      </Page>
    );
  }

  const fail = (e: unknown) => {
    if (redirect(e)) return;
    const a = asApiError(e);
    const kindField = a.fields.kind ?? null;
    const otherFields = Object.entries(a.fields)
      .filter(([k]) => k !== 'kind')
      .map(([, v]) => v);
    const message =
      a.code === 'VALIDATION_FAILED'
        ? otherFields.length
          ? otherFields.join(' ')
          : kindField
            ? null
            : a.message
        : a.message;
    setErrors((prev) => ({ message, kind: kindField, code: a.code, attempt: prev.attempt + 1 }));
    setBusy(false);
  };

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (busy) return;
    if (!kind) {
      setErrors((prev) => ({
        message: null,
        kind: 'Выберите тип записи в очередь',
        code: null,
        attempt: prev.attempt + 1,
      }));
      return;
    }
    setBusy(true);
    try {
      const entry = await api.post<WaitlistEntry>('/api/waitlist', { personId, doctorId: Number(doctorId), kind });
      void navigate(joinedPath(entry.id), { replace: true });
    } catch (err) {
      fail(err);
    }
  };

  const schedulePath = `/book/${personId}/doctor/${doctorId}`;
  return (
    <Page title={title} back={back}>
      <ErrorSummary key={errors.attempt} message={errors.message} fields={errors.kind ? { kind: errors.kind } : {}} />
      {errors.code === 'WAITLIST_NOT_NEEDED' && (
        <p>
          <Link to={schedulePath}>Выбрать свободное время в расписании</Link>
        </p>
      )}
      {errors.code === 'WAITLIST_ALREADY' && (
        <p>
          <Link to="/cardfile">Посмотреть очередь в «Моей картотеке»</Link>
        </p>
      )}
      {doctor.nearestFreeAt !== null && (
        <Notice title="У врача есть свободное время">
          <p>
            Очередь не нужна, пока у врача есть свободное время:{' '}
            <Link to={schedulePath}>выберите время в расписании</Link>.
          </p>
        </Notice>
      )}
      {summary}
      <form className="form" noValidate onSubmit={(e) => void submit(e)}>
        <RadioChoice
          id="kind"
          label={title}
          labelHidden
          hint="Когда появится свободное время, мы предложим его по электронной почте или в мобильном приложении"
          value={kind}
          onChange={(v) => {
            setKind(v as Kind);
            if (errors.kind) setErrors((prev) => ({ ...prev, kind: null }));
          }}
          error={errors.kind ?? undefined}
          options={[
            {
              value: 'doctor',
              label: 'К этому врачу',
              isDisabled: already.has('doctor'),
              hint: (
                <>
                  {doctor.name}, кабинет {doctor.room}
                  {already.has('doctor') && (
                    <>
                      <br />
                      Человек уже в очереди к этому врачу.
                    </>
                  )}
                </>
              ),
            },
            {
              value: 'specialty',
              label: 'К любому врачу этой специальности',
              isDisabled: already.has('specialty') || othersFree,
              hint: (
                <>
                  {capitalise(specialty)}, {org.name}
                  {already.has('specialty') ? (
                    <>
                      <br />
                      Человек уже в очереди к любому врачу этой специальности.
                    </>
                  ) : (
                    othersFree && (
                      <>
                        <br />
                        Недоступно: у других врачей этой специальности есть свободное время — запишитесь к ним.
                      </>
                    )
                  )}
                </>
              ),
            },
          ]}
        />
        <div className="button-row">
          <Button type="submit" isPending={busy}>
            Подтвердить
          </Button>
        </div>
      </form>
      {othersFree && !already.has('specialty') && (
        <p>
          <Link to={`/book/${personId}/specialty/${doctor.specialty.id}`}>
            Записаться к другому врачу этой специальности
          </Link>
        </p>
      )}
    </Page>
  );
}
