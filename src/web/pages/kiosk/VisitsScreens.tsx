// The identified patient's upcoming visits at this organisation, with «Отменить запись»
// on those the kiosk may cancel (a note on the others), and the cancel confirmation.
import { useState } from 'react';
import type { KioskVisit, KioskVisitsResponse } from '../../../shared/api/index.js';
import { formatDayLong } from '../../ui/format.js';
import { capitalise } from '../patient/labels.js';
import { useKiosk, useKioskData } from './kiosk.context.js';
import { kioskApi } from './kioskApi.js';
import { KioskActions, KioskButton, KioskError, KioskHeading, KioskLoading } from './KioskParts.js';

const sourceNames: Record<KioskVisit['source'], string> = {
  portal: 'через портал',
  registry: 'в регистратуре',
  doctor: 'у врача',
  infomat: 'на инфомате',
  electronic_queue: 'через электронную очередь',
};

export function visitWhen(v: { localStart: string }): string {
  return `${capitalise(formatDayLong(v.localStart.slice(0, 10)))}, ${v.localStart.slice(11, 16)}`;
}

export function VisitFacts({ visit }: { visit: KioskVisit }) {
  return (
    <dl className="kiosk-facts">
      <div>
        <dt>Когда</dt>
        <dd>{visitWhen(visit)}</dd>
      </div>
      <div>
        <dt>Врач</dt>
        <dd>
          {visit.doctor.name}, {visit.doctor.specialty}
        </dd>
      </div>
      <div>
        <dt>Кабинет</dt>
        <dd>{visit.doctor.room}</dd>
      </div>
    </dl>
  );
}

export function VisitsScreen({
  notice,
  onBook,
  onCancel,
}: {
  notice: string | null;
  onBook(): void;
  onCancel(v: KioskVisit): void;
}) {
  const { data, error, reload } = useKioskData<KioskVisitsResponse>('/api/kiosk/visits');
  return (
    <div>
      <KioskHeading>Здравствуйте{data ? `, ${data.patient.greeting}` : ''}!</KioskHeading>
      {notice && (
        <div className="kiosk-notice kiosk-notice-success" role="status">
          <p>{notice}</p>
        </div>
      )}
      <KioskError message={error} />
      {error && (
        <KioskButton variant="secondary" onPress={reload}>
          Попробовать снова
        </KioskButton>
      )}
      <h2 className="kiosk-subtitle">Ваши предстоящие записи</h2>
      {!data && !error && <KioskLoading />}
      {data && data.visits.length === 0 && <p className="kiosk-lead">Предстоящих записей нет.</p>}
      {data && data.visits.length > 0 && (
        <ul className="kiosk-visits">
          {data.visits.map((v) => (
            <li key={v.id} className="kiosk-card">
              <VisitFacts visit={v} />
              <p className="kiosk-source">Запись сделана {sourceNames[v.source]}</p>
              {v.cancellable ? (
                <KioskButton variant="warning" onPress={() => onCancel(v)}>
                  Отменить запись<span className="visually-hidden"> на {visitWhen(v)}</span>
                </KioskButton>
              ) : (
                v.cancelNote && <p className="kiosk-cancel-note">{v.cancelNote}</p>
              )}
            </li>
          ))}
        </ul>
      )}
      <KioskActions>
        <KioskButton className="kiosk-button-large" onPress={onBook}>
          Записаться к врачу
        </KioskButton>
      </KioskActions>
    </div>
  );
}

export function CancelScreen({
  visit,
  onDone,
  onBack,
}: {
  visit: KioskVisit;
  onDone(v: KioskVisit): void;
  onBack(): void;
}) {
  const { patient, problem } = useKiosk();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const cancel = async () => {
    setBusy(true);
    setError(null);
    try {
      onDone(await kioskApi.post<KioskVisit>(`/api/kiosk/appointments/${visit.id}/cancel`, {}, patient?.token ?? null));
    } catch (err) {
      setError(problem(err));
      setBusy(false);
    }
  };
  return (
    <div>
      <KioskHeading>Отменить запись?</KioskHeading>
      <KioskError message={error} />
      <div className="kiosk-card">
        <VisitFacts visit={visit} />
      </div>
      <p className="kiosk-lead">Время станет свободным, и на него смогут записаться другие пациенты.</p>
      <KioskActions>
        <KioskButton variant="secondary" onPress={onBack} isDisabled={busy}>
          Нет, вернуться
        </KioskButton>
        <KioskButton variant="warning" isPending={busy} onPress={() => void cancel()}>
          Да, отменить запись
        </KioskButton>
      </KioskActions>
    </div>
  );
}
