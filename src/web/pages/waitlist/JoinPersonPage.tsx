// «Кого поставить в очередь?» — the first question of «Встать в очередь». Skipped when the
// person is given (from the booking journey) or the card file has exactly one person; only
// people whose data the moderator confirmed can be chosen.
import { useEffect, useRef, useState, type FormEvent } from 'react';
import { Link, useLocation, useNavigate, useSearchParams } from 'react-router';
import type { CardFilePerson, DoctorSummary } from '../../../shared/api/index.js';
import { Button } from '../../ui/Button.js';
import { ErrorSummary } from '../../ui/ErrorSummary.js';
import { formatDate } from '../../ui/format.js';
import { Loading } from '../../ui/Loading.js';
import { Page } from '../../ui/Page.js';
import { RadioChoice } from '../../ui/RadioChoice.js';
import { personName } from '../patient/labels.js';
import { LoadState, useApiData } from '../patient/useApiData.js';
import { DoctorLine, NoDoctorPage, notWaitlistableReason, type JoinState } from './JoinShared.js';
import { intOrNull, kindPath, uuidOrNull } from './paths.js';

export function JoinPersonPage() {
  const [params] = useSearchParams();
  const doctorId = intOrNull(params.get('doctor'));
  const givenPerson = uuidOrNull(params.get('person'));
  const navigate = useNavigate();
  const location = useLocation();
  const cardfile = useApiData<{ persons: CardFilePerson[] }>(doctorId ? '/api/cardfile' : null);
  const doctor = useApiData<DoctorSummary>(doctorId ? `/api/doctors/${doctorId}` : null);
  const [choice, setChoice] = useState<string | null>(null);
  const [error, setError] = useState<{ text: string; attempt: number } | null>(null);
  const forwarded = useRef(false);

  const persons = cardfile.data?.persons ?? [];
  const hasMain = persons.some((p) => p.isMain);
  const given = givenPerson ? (persons.find((p) => p.id === givenPerson) ?? null) : null;
  // The person to skip the question with: the one given, or the only one in the card file.
  const only = given ?? (persons.length === 1 ? persons[0] : null);

  useEffect(() => {
    if (doctorId && only && only.status === 'confirmed' && !forwarded.current) {
      forwarded.current = true;
      void navigate(kindPath(doctorId, only.id), { replace: true });
    }
  }, [doctorId, only, navigate]);

  if (!doctorId) return <NoDoctorPage />;

  const title = 'Кого поставить в очередь?';
  const back = { to: `/doctors/${doctorId}`, label: 'Расписание врача' };
  if (!cardfile.data) {
    return (
      <Page title={title} back={back}>
        <LoadState state={cardfile} />
      </Page>
    );
  }
  if (!hasMain) {
    return (
      <Page title="Сначала заполните личные данные" back={back}>
        <p>Встать в очередь можно после того, как вы заполните свои персональные данные и модератор их подтвердит.</p>
        <p>
          <Link className="button" to="/profile">
            Заполнить личные данные
          </Link>
        </p>
      </Page>
    );
  }
  if (only) {
    if (only.status === 'confirmed') {
      return (
        <Page title={title} back={back}>
          <Loading />
        </Page>
      );
    }
    return (
      <Page title="Встать в очередь пока нельзя" back={back}>
        <p>
          {personName(only)}: {notWaitlistableReason(only.status)}
        </p>
        <p>
          <Link to="/cardfile">Перейти в «Мою картотеку»</Link>
        </p>
      </Page>
    );
  }

  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (!choice) {
      setError({ text: 'Выберите, кого поставить в очередь', attempt: (error?.attempt ?? 0) + 1 });
      return;
    }
    const state: JoinState = { back: `${location.pathname}${location.search}` };
    void navigate(kindPath(doctorId, choice), { state });
  };

  return (
    <Page title={title} back={back}>
      <ErrorSummary key={error?.attempt ?? 0} message={null} fields={error ? { person: error.text } : {}} />
      <DoctorLine doctor={doctor.data} />
      <form className="form" noValidate onSubmit={submit}>
        <RadioChoice
          id="person"
          label={title}
          labelHidden
          hint="Поставить в очередь можно только людей, чьи данные подтвердил модератор"
          value={choice}
          onChange={(v) => {
            setChoice(v);
            setError(null);
          }}
          error={error?.text}
          options={persons.map((p) => {
            const reason = notWaitlistableReason(p.status);
            return {
              value: p.id,
              label: personName(p),
              isDisabled: reason !== null,
              hint: (
                <>
                  Дата рождения: {formatDate(p.birthDate)}
                  {reason && (
                    <>
                      <br />
                      {reason}
                    </>
                  )}
                </>
              ),
            };
          })}
        />
        <div className="button-row">
          <Button type="submit">Продолжить</Button>
        </div>
      </form>
    </Page>
  );
}
