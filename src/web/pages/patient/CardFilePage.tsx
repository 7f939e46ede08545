// «Моя картотека»: the people this account books for, their status and their visits.
import { useState } from 'react';
import { Link } from 'react-router';
import type { CardFilePerson } from '../../../shared/api/index.js';
import { Notice } from '../../ui/Notice.js';
import { Page } from '../../ui/Page.js';
import { useFlash } from './flash.js';
import { LiveMessage } from './LiveMessage.js';
import { PersonCard } from './PersonCard.js';
import { LoadState, useApiData } from './useApiData.js';
import { OFFLINE_REASON, OfflineContext, useOffline, useSavedAt } from '../../ui/offline.js';
import { eventZone, formatInstantTime } from '../../ui/datetime.js';
import { MovesPanel } from '../absence/MovesPanel.js';

export function CardFilePage() {
  const flash = useFlash();
  const state = useApiData<{ persons: CardFilePerson[] }>('/api/cardfile');
  const [done, setDone] = useState<string | null>(null);
  const persons = [...(state.data?.persons ?? [])].sort((a, b) => Number(b.isMain) - Number(a.isMain));
  const noMain = state.data !== null && !persons.some((p) => p.isMain);

  const offline = useOffline();
  const savedAt = useSavedAt('/api/cardfile', offline && state.data !== null);
  // «Данные на HH:MM» in the organisation's zone (that of the visits), else the region's.
  const zone = eventZone(persons.flatMap((p) => [...p.futureVisits, ...p.pastVisits])[0]?.timeZone);

  const cancelled = (message: string) => {
    setDone(message);
    void state.reload();
  };

  return (
    <Page title="Моя картотека" wide>
      {flash && !done && (
        <Notice kind="success" title={flash.title}>
          {flash.text && <p>{flash.text}</p>}
        </Notice>
      )}
      <LiveMessage message={done} title="Визит отменён" />
      {offline && (
        <Notice kind="info" title={savedAt ? `Данные на ${formatInstantTime(savedAt, zone)}` : 'Нет соединения'}>
          <p>{OFFLINE_REASON}</p>
        </Notice>
      )}
      {!state.data && <LoadState state={state} />}
      {state.data && state.error && <LoadState state={state} />}
      {noMain && (
        <div className="card">
          <p>Чтобы записываться к врачу, сначала заполните свои персональные данные.</p>
          <p>
            <Link className="button" to="/profile">
              Заполнить личные данные
            </Link>
          </p>
        </div>
      )}
      {state.data && !offline && <MovesPanel />}
      <OfflineContext.Provider value={offline}>
        {persons.map((p) => (
          <PersonCard key={p.id} person={p} onCancelled={cancelled} />
        ))}
      </OfflineContext.Provider>
      {state.data && !noMain && (
        <p className="add-person">
          <Link to="/cardfile/add">Добавить человека</Link> — ребёнка, родителя или другого человека, которого вы
          записываете к врачу.
        </p>
      )}
    </Page>
  );
}
