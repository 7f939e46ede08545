// «Вы включены в очередь»: the entry just made, how offers will come (e-mail or the app, up
// to three one after another) and where to find the entry.
import { Link, useParams } from 'react-router';
import type { CardFilePerson, WaitlistEntry } from '../../../shared/api/index.js';
import { plural } from '../../ui/format.js';
import { Page } from '../../ui/Page.js';
import { SummaryList } from '../../ui/SummaryList.js';
import { capitalise, personName } from '../patient/labels.js';
import { LoadState, useApiData } from '../patient/useApiData.js';
import { formatSince } from './EntryFacts.js';
import { entryTarget } from './words.js';

export function JoinedPage() {
  const { id = '' } = useParams();
  const state = useApiData<{ persons: CardFilePerson[] }>('/api/cardfile');
  const back = { to: '/cardfile', label: 'Моя картотека' };
  let found: { entry: WaitlistEntry; person: CardFilePerson } | null = null;
  for (const person of state.data?.persons ?? []) {
    const entry = (person.waitlist ?? []).find((e) => e.id === id);
    if (entry) found = { entry, person };
  }
  if (!state.data) {
    return (
      <Page title="Вы включены в очередь" back={back}>
        <LoadState state={state} />
      </Page>
    );
  }
  if (!found) {
    return (
      <Page title="Запись в очереди не найдена" back={back}>
        <p>
          Этой записи в очереди больше нет: человек вышел из очереди, записался на предложенное время или исключён из
          очереди.
        </p>
        <p>
          <Link to="/cardfile">Перейти в «Мою картотеку»</Link>
        </p>
      </Page>
    );
  }
  const { entry, person } = found;
  return (
    <Page title="Вы включены в очередь">
      <div className="panel-confirmation">
        <p className="panel-title">Вы включены в очередь</p>
        <p className="panel-body">
          Место в очереди
          <br />
          <strong className="panel-reference">{entry.place}</strong>
        </p>
      </div>
      <SummaryList
        rows={[
          { key: 'Пациент', value: personName(person) },
          { key: 'Очередь', value: capitalise(entryTarget(entry)) },
          { key: 'Специальность', value: capitalise(entry.specialty.name) },
          { key: 'Медицинская организация', value: entry.organisation.name },
          { key: 'Адрес', value: entry.organisation.address },
          { key: 'В очереди с', value: formatSince(entry) },
          { key: 'Место в очереди', value: String(entry.place) },
        ]}
      />
      <h2>Что будет дальше</h2>
      <p>
        При появлении свободного времени для записи на приём вам придёт уведомление на электронную почту или в мобильное
        приложение. Предложенное время закреплено за вами до указанного в уведомлении срока: подтвердите его или
        откажитесь.
      </p>
      <p>
        Вам будет предложено не больше {entry.offersLeft}{' '}
        {plural(entry.offersLeft, ['варианта', 'вариантов', 'вариантов'])} свободного времени — одно за другим. В случае
        отказа вы вернётесь в очередь на своё место. Если на последнее предложение ответить отказом или не ответить
        вовремя, человек исключается из очереди.
      </p>
      <p>
        Очередь и предложенное время видны в «Моей картотеке» в строке с данными человека. Там же можно выйти из очереди
        — ссылка «Отменить визит».
      </p>
      <p className="page-end-links">
        <Link className="button" to="/cardfile">
          Перейти в «Мою картотеку»
        </Link>
      </p>
    </Page>
  );
}
