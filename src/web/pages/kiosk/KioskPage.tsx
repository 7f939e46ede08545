// The infomat screen (/kiosk), shown without the portal's header and footer. A patient
// identifies with полис + date of birth on the digit pad, sees their upcoming visits here,
// books and cancels by touch. «Завершить», «Готово» and a minute without a touch (after a
// 10-second «Вы здесь?») clear everything: the patient token, the typed digits and every
// screen's state live only in this component tree, which is remounted from scratch.
import { type ReactNode, useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type { KioskHome, KioskIdentifyResponse, KioskVisit } from '../../../shared/api/index.js';
import type { ApiError } from '../../api.js';
import { BookScreens, type BookStep } from './BookFlow.js';
import { DoneScreen } from './BookScreens.js';
import { InactivityWarning } from './InactivityWarning.js';
import { BirthScreen, PolicyScreen, StartScreen } from './IdentifyScreens.js';
import { asApiError, KioskContext, type KioskContextValue, type KioskPatient } from './kiosk.context.js';
import { kioskApi } from './kioskApi.js';
import { KioskButton, KioskHeading, KioskLoading } from './KioskParts.js';
import { TalonEntry, TalonVisitScreen } from './TalonScreens.js';
import { useInactivity } from './useInactivity.js';
import { CancelScreen, VisitsScreen, visitWhen } from './VisitsScreens.js';

/** A minute without a touch, then ten seconds of «Вы здесь?». */
export const KIOSK_IDLE_MS = 60_000;
export const KIOSK_WARN_MS = 10_000;

type Step =
  | { kind: 'start' }
  | { kind: 'policy' }
  | { kind: 'birth' }
  | { kind: 'visits'; notice: string | null }
  | { kind: 'cancel'; visit: KioskVisit }
  | { kind: 'book'; step: BookStep }
  | { kind: 'done'; visit: KioskVisit }
  | { kind: 'talon'; visit: KioskVisit; reference: string };

function NotEnrolled({ error }: { error: ApiError }) {
  return (
    <div className="kiosk">
      <main className="kiosk-main">
        <KioskHeading>
          {error.code === 'KIOSK_NOT_ENROLLED' ? 'Это устройство не работает как инфомат' : 'Инфомат недоступен'}
        </KioskHeading>
        <p className="kiosk-lead">{error.message}</p>
        {error.code === 'KIOSK_NOT_ENROLLED' ? (
          <p className="kiosk-lead">
            Сотрудник регистратуры включает режим инфомата так: входит на портал на этом устройстве и открывает страницу{' '}
            <a href="/kiosk/devices">«Инфоматы»</a>.
          </p>
        ) : (
          <KioskButton onPress={() => window.location.reload()}>Попробовать снова</KioskButton>
        )}
        <p>
          <a href="/">На главную страницу портала</a>
        </p>
      </main>
    </div>
  );
}

export function KioskPage() {
  const [home, setHome] = useState<KioskHome | null>(null);
  const [homeError, setHomeError] = useState<ApiError | null>(null);
  const [patient, setPatient] = useState<KioskPatient | null>(null);
  const [step, setStep] = useState<Step>({ kind: 'start' });
  const [policy, setPolicy] = useState('');
  const [birth, setBirth] = useState('');
  const [startNotice, setStartNotice] = useState<string | null>(null);
  // A new turn remounts every screen: nothing typed or loaded survives it.
  const [turn, setTurn] = useState(0);
  const turnRef = useRef(0);

  useEffect(() => {
    document.title = 'Инфомат — Приём';
    kioskApi
      .get<KioskHome>('/api/kiosk/home')
      .then(setHome)
      .catch((err: unknown) => setHomeError(asApiError(err)));
  }, []);

  const reset = useCallback((notice: string | null = null) => {
    setPatient(null);
    setPolicy('');
    setBirth('');
    setStep({ kind: 'start' });
    setStartNotice(notice);
    turnRef.current += 1;
    setTurn(turnRef.current);
  }, []);

  const problem = useCallback(
    (err: unknown): string | null => {
      const e = asApiError(err);
      if (e.code === 'KIOSK_PATIENT_EXPIRED') {
        reset(e.message);
        return null;
      }
      if (e.code === 'KIOSK_NOT_ENROLLED') {
        reset();
        setHomeError(e);
        return null;
      }
      return e.message;
    },
    [reset],
  );

  const inactivity = useInactivity({
    active: step.kind !== 'start' && home !== null,
    idleMs: KIOSK_IDLE_MS,
    warnMs: KIOSK_WARN_MS,
    onTimeout: () => reset(),
  });
  const context = useMemo<KioskContextValue | null>(
    () => (home ? { home, patient, problem } : null),
    [home, patient, problem],
  );

  if (homeError) return <NotEnrolled error={homeError} />;
  if (!context) {
    return (
      <div className="kiosk">
        <main className="kiosk-main">
          <KioskLoading />
        </main>
      </div>
    );
  }

  // An answer that arrives after «Завершить» or the reset belongs to a finished turn: dropped.
  const thisTurn = turnRef.current;
  const inTurn =
    <A extends unknown[]>(f: (...args: A) => void) =>
    (...args: A) => {
      if (turnRef.current === thisTurn) f(...args);
    };

  const identified = (r: KioskIdentifyResponse) => {
    // The digits are not needed any more: only the token (and the greeting) stay, in memory.
    setPolicy('');
    setBirth('');
    setPatient({ token: r.patientToken, greeting: r.patient.greeting });
    setStep({ kind: 'visits', notice: null });
  };

  let screen: ReactNode;
  switch (step.kind) {
    case 'start':
      screen = (
        <>
          <StartScreen notice={startNotice} onStart={() => setStep({ kind: 'policy' })} />
          <TalonEntry
            onFound={inTurn((visit: KioskVisit, reference: string) => setStep({ kind: 'talon', visit, reference }))}
          />
        </>
      );
      break;
    case 'talon':
      screen = <TalonVisitScreen visit={step.visit} reference={step.reference} onDone={() => reset()} />;
      break;
    case 'policy':
      screen = (
        <PolicyScreen
          digits={policy}
          onChange={setPolicy}
          onNext={() => setStep({ kind: 'birth' })}
          onBack={() => reset()}
        />
      );
      break;
    case 'birth':
      screen = (
        <BirthScreen
          policy={policy}
          digits={birth}
          onChange={setBirth}
          onIdentified={inTurn(identified)}
          onBack={() => setStep({ kind: 'policy' })}
        />
      );
      break;
    case 'visits':
      screen = (
        <VisitsScreen
          notice={step.notice}
          onBook={() => setStep({ kind: 'book', step: { kind: 'specialty' } })}
          onCancel={(visit) => setStep({ kind: 'cancel', visit })}
        />
      );
      break;
    case 'cancel':
      screen = (
        <CancelScreen
          visit={step.visit}
          onBack={() => setStep({ kind: 'visits', notice: null })}
          onDone={inTurn((v: KioskVisit) =>
            setStep({ kind: 'visits', notice: `Запись на ${visitWhen(v)} к врачу ${v.doctor.name} отменена.` }),
          )}
        />
      );
      break;
    case 'book':
      screen = (
        <BookScreens
          step={step.step}
          go={(next) => setStep({ kind: 'book', step: next })}
          toVisits={() => setStep({ kind: 'visits', notice: null })}
          onBooked={inTurn((visit: KioskVisit) => setStep({ kind: 'done', visit }))}
        />
      );
      break;
    case 'done':
      screen = <DoneScreen visit={step.visit} onDone={() => reset()} />;
      break;
  }

  return (
    <KioskContext.Provider value={context}>
      <div className="kiosk">
        <header className="kiosk-bar">
          <p className="kiosk-org">
            <span className="kiosk-org-name">{context.home.organisation.shortName}</span>
            <span className="kiosk-org-sub">Инфомат: запись к врачу</span>
          </p>
          {step.kind !== 'start' && (
            <KioskButton variant="secondary" className="kiosk-finish" onPress={() => reset()}>
              Завершить
            </KioskButton>
          )}
        </header>
        <main className="kiosk-main" key={turn}>
          {screen}
        </main>
        <InactivityWarning secondsLeft={inactivity.secondsLeft} onStillHere={inactivity.stillHere} />
      </div>
    </KioskContext.Provider>
  );
}
