// The infomat reads a талон: a barcode scanner types the QR code's text and presses Enter, as
// a keyboard would. On the start screen the keys go into the «Номер записи» field even when it
// is not focused (nothing else there takes typing), so a patient only holds the talon to the
// scanner. The visit of that talon alone is shown (no other visit of the patient), with
// «Отменить запись» when the kiosk may cancel it, else the reason.
import { useEffect, useRef, useState, type FormEvent } from 'react';
import type { KioskReferenceResponse, KioskVisit } from '../../../shared/api/index.js';
import { asApiError, useKiosk } from './kiosk.context.js';
import { kioskApi } from './kioskApi.js';
import { KioskActions, KioskButton, KioskError, KioskHeading } from './KioskParts.js';
import { VisitFacts, visitWhen } from './VisitsScreens.js';

const MAX_LENGTH = 40;

/** Keys typed while no text field has focus, collected until Enter (a scanner "typing" a code). */
function useScannedKeys(onEnter: (typed: string) => void) {
  const buffer = useRef('');
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      const target = e.target as HTMLElement | null;
      if (target && (target.tagName === 'INPUT' || target.tagName === 'TEXTAREA')) return;
      if (e.key === 'Enter') {
        const typed = buffer.current.trim();
        buffer.current = '';
        if (typed.length >= 6) {
          e.preventDefault();
          onEnter(typed);
        }
        return;
      }
      if (e.key.length === 1 && !e.ctrlKey && !e.metaKey && !e.altKey) {
        buffer.current = (buffer.current + e.key).slice(-MAX_LENGTH);
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [onEnter]);
}

export function TalonEntry({ onFound }: { onFound(visit: KioskVisit, reference: string): void }) {
  const { problem } = useKiosk();
  const [reference, setReference] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const look = async (typed: string) => {
    if (!typed.trim()) {
      setError('Поднесите талон QR-кодом к сканеру или введите номер записи.');
      return;
    }
    setBusy(true);
    setError(null);
    try {
      const found = await kioskApi.post<KioskReferenceResponse>(
        '/api/kiosk/visits/by-reference',
        { reference: typed.trim() },
        null,
      );
      onFound(found.visit, typed.trim());
    } catch (err) {
      setError(
        asApiError(err).code === 'APPOINTMENT_NOT_FOUND'
          ? 'Запись по этому талону не найдена. Проверьте номер или обратитесь в регистратуру.'
          : problem(err),
      );
      setReference('');
      setBusy(false);
    }
  };
  useScannedKeys((typed) => void look(typed));

  const submit = (e: FormEvent) => {
    e.preventDefault();
    void look(reference);
  };
  return (
    <section className="kiosk-talon" aria-labelledby="kiosk-talon-title">
      <h2 id="kiosk-talon-title" className="kiosk-subtitle">
        Есть талон с QR-кодом?
      </h2>
      <p className="kiosk-hint">
        Поднесите талон QR-кодом к сканеру — запись откроется сама. Или введите номер записи.
      </p>
      <KioskError message={error} />
      <form className="kiosk-talon-form" noValidate onSubmit={submit}>
        <label className="kiosk-display-label" htmlFor="kiosk-talon-reference">
          Номер записи
        </label>
        <input
          id="kiosk-talon-reference"
          className="kiosk-input"
          autoComplete="off"
          autoCapitalize="characters"
          spellCheck={false}
          maxLength={MAX_LENGTH}
          value={reference}
          onChange={(e) => setReference(e.target.value)}
        />
        <KioskButton type="submit" variant="secondary" isPending={busy}>
          Открыть запись
        </KioskButton>
      </form>
    </section>
  );
}

/** The talon's visit: its facts, and cancelling when the kiosk may (asked once more). */
export function TalonVisitScreen({
  visit,
  reference,
  onDone,
}: {
  visit: KioskVisit;
  reference: string;
  onDone(): void;
}) {
  const { problem } = useKiosk();
  const [shown, setShown] = useState(visit);
  const [asking, setAsking] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [cancelled, setCancelled] = useState(false);

  const cancel = async () => {
    setBusy(true);
    setError(null);
    try {
      const r = await kioskApi.post<KioskReferenceResponse>(
        '/api/kiosk/visits/by-reference/cancel',
        { reference },
        null,
      );
      setShown(r.visit);
      setCancelled(true);
      setAsking(false);
    } catch (err) {
      setError(problem(err));
    } finally {
      setBusy(false);
    }
  };

  const upcoming = shown.status === 'booked';
  return (
    <div>
      <KioskHeading>{cancelled ? 'Запись отменена' : asking ? 'Отменить запись?' : 'Запись по талону'}</KioskHeading>
      <KioskError message={error} />
      {cancelled && (
        <div className="kiosk-notice" role="status">
          <p>
            Запись на {visitWhen(shown)} к врачу {shown.doctor.name} отменена. Время станет свободным для других
            пациентов.
          </p>
        </div>
      )}
      <div className="kiosk-card">
        <p className="kiosk-talon-reference">
          Номер записи: <strong>{shown.reference}</strong>
        </p>
        <VisitFacts visit={shown} />
      </div>
      {!upcoming && !cancelled && (
        <p className="kiosk-lead">{shown.status === 'cancelled' ? 'Эта запись отменена.' : 'Этот визит уже прошёл.'}</p>
      )}
      {upcoming && !shown.cancellable && shown.cancelNote && <p className="kiosk-lead">{shown.cancelNote}</p>}
      {asking && <p className="kiosk-lead">Время станет свободным, и на него смогут записаться другие пациенты.</p>}
      <KioskActions>
        {asking ? (
          <>
            <KioskButton variant="secondary" onPress={() => setAsking(false)} isDisabled={busy}>
              Нет, вернуться
            </KioskButton>
            <KioskButton variant="warning" isPending={busy} onPress={() => void cancel()}>
              Да, отменить запись
            </KioskButton>
          </>
        ) : (
          <>
            {upcoming && shown.cancellable && (
              <KioskButton variant="warning" onPress={() => setAsking(true)}>
                Отменить запись
              </KioskButton>
            )}
            <KioskButton onPress={onDone}>Готово</KioskButton>
          </>
        )}
      </KioskActions>
    </div>
  );
}
