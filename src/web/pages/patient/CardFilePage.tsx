// «Моя картотека»: the people this account books for, their status and their visits.
import { useEffect, useState } from 'react';
import { Link } from 'react-router';
import type { CardFilePerson } from '../../../shared/api/index.js';
import { Notice } from '../../ui/Notice.js';
import { Page } from '../../ui/Page.js';
import { useFlash } from './flash.js';
import { LiveMessage } from './LiveMessage.js';
import { PersonCard } from './PersonCard.js';
import { LoadState, useApiData } from './useApiData.js';
import { OfflineContext, OfflineNotice, useOffline, useSavedAt } from '../../ui/offline.js';
import { eventZone } from '../../ui/datetime.js';
import { whenIdle } from '../../ui/idle.js';
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

  // The visit page's code is fetched while online (once the card file is shown and the browser
  // is idle), so that the service worker keeps it and a visit opened from this list offline can
  // be shown (its data comes from this card file).
  const shown = state.data !== null;
  useEffect(() => {
    if (offline || !shown) return;
    return whenIdle(() => void import('./AppointmentPage.js').catch(() => undefined));
  }, [offline, shown]);

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
      {offline && <OfflineNotice savedAt={savedAt} zone={zone} />}
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
