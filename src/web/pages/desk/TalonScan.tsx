// The registry desk finds a visit by its талон: a barcode scanner types the QR code's text
// and presses Enter, as a keyboard would; a person may type the number too. The patient's page
// then opens with that visit named on top (TalonFound). The number goes in a POST body.
import { useRef, useState, type FormEvent } from 'react';
import { useNavigate } from 'react-router';
import type { ChannelVisit, DeskReferenceResponse } from '../../../shared/api/index.js';
import { api } from '../../api.js';
import { Button } from '../../ui/Button.js';
import { formatLocalDateTime } from '../../ui/format.js';
import { Notice } from '../../ui/Notice.js';
import { asApiError } from '../patient/useApiData.js';

export function TalonScan() {
  const navigate = useNavigate();
  const [reference, setReference] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const input = useRef<HTMLInputElement>(null);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const typed = reference.trim();
    if (!typed) {
      setError('Отсканируйте талон или введите номер записи');
      input.current?.focus();
      return;
    }
    setBusy(true);
    try {
      const found = await api.post<DeskReferenceResponse>('/api/desk/appointments/by-reference', { reference: typed });
      void navigate(`/desk/patients/${encodeURIComponent(found.patientId)}`, {
        state: { talonVisitId: found.appointmentId },
      });
    } catch (err) {
      const a = asApiError(err);
      setError(
        a.code === 'APPOINTMENT_NOT_FOUND'
          ? 'Запись с таким номером в вашей организации не найдена. Проверьте номер или найдите пациента ниже.'
          : a.message,
      );
      setReference('');
      input.current?.focus();
    } finally {
      setBusy(false);
    }
  };

  return (
    <form className="form talon-scan" noValidate onSubmit={(e) => void submit(e)} aria-label="Запись по талону">
      <div className={`field${error ? ' field-invalid' : ''}`}>
        <label htmlFor="talon-reference">Номер записи с талона</label>
        <span className="hint" id="talon-reference-hint">
          Отсканируйте QR-код талона сканером или введите номер, например ПР-7K3M92QD
        </span>
        {error && (
          <span className="field-error" id="talon-reference-error" role="alert">
            {error}
          </span>
        )}
        <input
          ref={input}
          id="talon-reference"
          name="reference"
          className="input input-medium"
          autoComplete="off"
          autoCapitalize="characters"
          spellCheck={false}
          maxLength={40}
          value={reference}
          onChange={(e) => setReference(e.target.value)}
          aria-describedby={error ? 'talon-reference-hint talon-reference-error' : 'talon-reference-hint'}
          aria-invalid={error ? true : undefined}
        />
      </div>
      <div className="button-row">
        <Button type="submit" variant="secondary" isPending={busy}>
          Открыть запись
        </Button>
      </div>
    </form>
  );
}

/** The visit the desk opened by its талон, named above the patient's visits. */
export function TalonFound({ state, visits }: { state: unknown; visits: ChannelVisit[] }) {
  const id =
    typeof state === 'object' && state !== null && 'talonVisitId' in state && typeof state.talonVisitId === 'string'
      ? state.talonVisitId
      : null;
  const visit = id ? visits.find((v) => v.id === id) : undefined;
  if (!visit) return null;
  return (
    <Notice kind="success" title={`Запись по талону ${visit.reference}`}>
      <p>
        {formatLocalDateTime(visit.localStart)}, {visit.doctor.name} (
        {visit.doctor.specialty.toLocaleLowerCase('ru-RU')}), кабинет {visit.doctor.room}. Ниже — все записи пациента в
        вашей организации.
      </p>
    </Notice>
  );
}
