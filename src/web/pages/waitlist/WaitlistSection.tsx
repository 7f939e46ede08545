// «Очередь» on a person's card in «Моя картотека»: the person's waitlist entries, each with
// its place and the offers left, «Отменить визит» to leave, and a pending offer's time with
// «Подтвердить» / «Отказаться» and the deadline.
import { useState } from 'react';
import type { CardFilePerson, WaitlistEntry } from '../../../shared/api/index.js';
import { api } from '../../api.js';
import { capitalise } from '../patient/labels.js';
import { LiveMessage } from '../patient/LiveMessage.js';
import { EntryFacts, OfferFacts } from './EntryFacts.js';
import { LeaveWaitlist } from './LeaveWaitlist.js';
import { OfferActions, type DeclineResult } from './OfferActions.js';
import { answerBy, closedOfferText, declinedMessage, declineConsequence, entryTarget, isOpen } from './words.js';

function EntryItem({
  entry,
  personName,
  onLeft,
  onDeclined,
  onStale,
}: {
  entry: WaitlistEntry;
  personName: string;
  onLeft(text: string): void;
  onDeclined(result: DeclineResult): void;
  onStale(): void;
}) {
  const target = capitalise(entryTarget(entry));
  const offer = entry.offer;
  const offerHeadingId = offer ? `offer-${offer.id}` : undefined;
  return (
    <li className="visit waitlist-entry">
      <div className="visit-head">
        <p className="visit-when">{target}</p>
        <span className="visit-status">{offer ? 'Предложено время' : 'В очереди'}</span>
      </div>
      <EntryFacts entry={entry} />
      {offer && offerHeadingId && (
        // biome-ignore lint/a11y/useSemanticElements: the offer's facts and its two buttons, not form fields; the group is named by the offer's heading
        <div className="offer-box" role="group" aria-labelledby={offerHeadingId}>
          <OfferFacts offer={offer} headingId={offerHeadingId} />
          {isOpen(offer) ? (
            <>
              <p className="offer-deadline">
                <strong>{answerBy(offer)}</strong>. Время закреплено за вами до этого срока; без ответа предложение
                считается отказом.
              </p>
              <p className="hint">Если отказаться: {declineConsequence(offer).replace(/^./, (c) => c.toLowerCase())}</p>
              <OfferActions offer={offer} context={`(${personName})`} onStale={onStale} onDeclined={onDeclined} />
            </>
          ) : (
            <p className="offer-deadline">
              <strong>{closedOfferText(offer).title}.</strong> {closedOfferText(offer).text}
            </p>
          )}
        </div>
      )}
      <div className="visit-actions">
        <LeaveWaitlist entry={entry} personName={personName} onLeft={onLeft} />
      </div>
    </li>
  );
}

export function WaitlistSection({ person, personName }: { person: CardFilePerson; personName: string }) {
  const base = person.waitlist ?? [];
  // After an action here the section refreshes itself; a new card file from the page wins.
  const [fresh, setFresh] = useState<{ base: WaitlistEntry[]; entries: WaitlistEntry[] } | null>(null);
  const [done, setDone] = useState<{ title: string; text: string } | null>(null);
  const entries = fresh && fresh.base === base ? fresh.entries : base;

  /** Reloads this person's entries; `fallback` applies the known change when the reload fails. */
  const refresh = async (fallback?: (list: WaitlistEntry[]) => WaitlistEntry[]) => {
    try {
      const cf = await api.get<{ persons: CardFilePerson[] }>('/api/cardfile');
      const me = cf.persons.find((p) => p.id === person.id);
      setFresh({ base, entries: me?.waitlist ?? [] });
    } catch {
      if (fallback) setFresh({ base, entries: fallback(entries) });
    }
  };

  const say = (message: { title: string; text: string }) => setDone(message);

  return (
    <>
      <h3>Очередь</h3>
      <LiveMessage message={done ? done.text : null} title={done?.title} />
      {entries.length === 0 ? (
        <p className="hint">В очереди не стоит.</p>
      ) : (
        <ul className="visit-list waitlist-list">
          {entries.map((e) => (
            <EntryItem
              key={e.id}
              entry={e}
              personName={personName}
              onLeft={(text) => {
                say({ title: 'Вы вышли из очереди', text });
                void refresh((list) => list.filter((x) => x.id !== e.id));
              }}
              onDeclined={(r) => {
                say({
                  title: 'Вы отказались от предложенного времени',
                  text: declinedMessage(r.removed, r.offersLeft),
                });
                void refresh((list) =>
                  r.removed
                    ? list.filter((x) => x.id !== e.id)
                    : list.map((x) =>
                        x.id === e.id ? { ...x, status: 'waiting', offer: null, offersLeft: r.offersLeft } : x,
                      ),
                );
              }}
              onStale={() => void refresh()}
            />
          ))}
        </ul>
      )}
    </>
  );
}
