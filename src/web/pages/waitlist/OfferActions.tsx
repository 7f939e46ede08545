// «Подтвердить» and «Отказаться» for an offered time (the seed guide's «Как подтвердить время…»
// and «Для отказа…»): confirming books it and opens the done page; declining asks first and
// says whether the person stays in the queue or, after the last offer, leaves it.
import { useEffect, useRef, useState } from 'react';
import { useNavigate } from 'react-router';
import type { z } from 'zod';
import type { AppointmentDetail, declineResponse, WaitlistOffer } from '../../../shared/api/index.js';
import { api } from '../../api.js';
import { Button } from '../../ui/Button.js';
import { ConfirmDialog } from '../../ui/ConfirmDialog.js';
import { formatLocalDateTime } from '../../ui/format.js';
import { asApiError, useLoginRedirect } from '../patient/useApiData.js';
import { DECLINE_QUESTION, declineConsequence } from './words.js';

export type DeclineResult = z.infer<typeof declineResponse>;

export function OfferActions({
  offer,
  onDeclined,
  onStale,
  context,
}: {
  offer: WaitlistOffer;
  /** After a decline: the server's answer (removed from the queue or not, offers left). */
  onDeclined(result: DeclineResult): void;
  /** The offer changed meanwhile (answered, expired, withdrawn): reload it. */
  onStale?(): void;
  /** Added, visually hidden, to the buttons' names when several offers share a page. */
  context?: string;
}) {
  const navigate = useNavigate();
  const redirect = useLoginRedirect();
  const [busy, setBusy] = useState(false);
  const [declining, setDeclining] = useState(false);
  const [error, setError] = useState<{ text: string; attempt: number } | null>(null);
  const errorRef = useRef<HTMLParagraphElement>(null);
  const when = formatLocalDateTime(offer.localStart);
  const url = `/api/offers/${encodeURIComponent(offer.id)}`;

  useEffect(() => {
    if (error) errorRef.current?.focus();
  }, [error]);

  const confirm = async () => {
    setBusy(true);
    setError(null);
    try {
      const appointment = await api.post<AppointmentDetail>(`${url}/confirm`);
      void navigate(`/appointments/${encodeURIComponent(appointment.id)}?done=1`, { replace: true });
    } catch (e) {
      if (redirect(e)) return;
      const a = asApiError(e);
      setError({ text: a.message, attempt: (error?.attempt ?? 0) + 1 });
      setBusy(false);
      if (a.status === 404 || a.status === 409) onStale?.();
    }
  };

  const suffix = context ? ` ${context}` : '';
  return (
    <>
      {error && (
        <p className="dialog-error" role="alert" tabIndex={-1} ref={errorRef} key={error.attempt}>
          {error.text}
        </p>
      )}
      <div className="button-row">
        <Button isPending={busy} isDisabled={declining} onPress={() => void confirm()}>
          Подтвердить
          <span className="visually-hidden">
            {' '}
            время {when}
            {suffix}
          </span>
        </Button>
        <Button variant="secondary" isDisabled={busy} onPress={() => setDeclining(true)}>
          Отказаться
          <span className="visually-hidden">
            {' '}
            от времени {when}
            {suffix}
          </span>
        </Button>
      </div>
      <ConfirmDialog
        isOpen={declining}
        onClose={() => setDeclining(false)}
        title={DECLINE_QUESTION}
        confirmLabel="Отказаться"
        cancelLabel="Не отказываться"
        danger
        onConfirm={async () => {
          try {
            const result = await api.post<DeclineResult>(`${url}/decline`);
            setDeclining(false);
            onDeclined(result);
          } catch (e) {
            if (redirect(e)) return;
            const a = asApiError(e);
            if (a.status === 404 || a.status === 409) {
              setDeclining(false);
              setError({ text: a.message, attempt: (error?.attempt ?? 0) + 1 });
              onStale?.();
              return;
            }
            throw a;
          }
        }}
      >
        <p>
          Предложенное время: <strong>{when}</strong>, {offer.doctor.specialty.toLowerCase()}: {offer.doctor.name}.
        </p>
        <p>{declineConsequence(offer)}</p>
      </ConfirmDialog>
    </>
  );
}
