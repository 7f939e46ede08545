// «Мои данные» (152-ФЗ): everything the portal holds about the account and its people, as a
// page to read and as a JSON file to download (the address carries no personal data), with
// the way to delete the account.
import { Link } from 'react-router';
import type { OwnDataExport } from '../../../shared/api/index.js';
import { formatSnils } from '../../../shared/validation.js';
import { formatInstantLong } from '../../ui/datetime.js';
import { formatDate, formatLocalDateTime } from '../../ui/format.js';
import { Page } from '../../ui/Page.js';
import { SummaryList } from '../../ui/SummaryList.js';
import { capitalise, personName, sourceLabel, visitStatusLabel } from '../patient/labels.js';
import { LoadState, useApiData } from '../patient/useApiData.js';
import {
  auditActionWord,
  auditByWord,
  emailStatusWord,
  entryStatusWord,
  offerStatusWord,
  personStatusWord,
  wordOf,
} from './words.js';

const yesNo = (b: boolean) => (b ? 'да' : 'нет');

function Empty({ children }: { children: string }) {
  return <p className="hint">{children}</p>;
}

export function OwnDataPage() {
  const state = useApiData<OwnDataExport>('/api/account/data');
  const back = { to: '/cardfile', label: 'Моя картотека' };
  const d = state.data;
  if (!d) {
    return (
      <Page title="Мои данные" back={back}>
        <LoadState state={state} />
      </Page>
    );
  }
  const tz = d.timeZone;
  const at = (iso: string | null) => (iso ? formatInstantLong(iso, tz) : '—');
  const nameOf = new Map(d.persons.map((p) => [p.id, personName(p)]));
  return (
    <Page title="Мои данные" back={back} wide>
      <p>
        Здесь всё, что портал хранит о вашей учётной записи и людях в вашей картотеке (152-ФЗ «О персональных данных»).
        Время указано по часовому поясу медицинских организаций.
      </p>
      <p>
        <a className="button button-secondary" href="/api/account/data/download" download>
          Скачать мои данные (JSON)
        </a>
      </p>

      <h2>Учётная запись</h2>
      <SummaryList
        rows={[
          { key: 'Адрес электронной почты', value: d.account.email ?? 'не указан' },
          { key: 'Адрес подтверждён', value: at(d.account.emailConfirmedAt) },
          { key: 'Привязаны Госуслуги', value: d.account.esiaLinked ? `да, ${at(d.account.esiaLinkedAt)}` : 'нет' },
          { key: 'Создана', value: at(d.account.createdAt) },
          { key: 'Открытые сеансы входа', value: String(d.sessions.length) },
        ]}
      />

      <h2>Люди в картотеке</h2>
      {d.persons.length === 0 && <Empty>Данные о людях не заполнены.</Empty>}
      {d.persons.map((p) => (
        <section key={p.id} aria-label={personName(p)}>
          <h3>
            {personName(p)}
            {p.isMain ? ' (вы)' : ''}
          </h3>
          <SummaryList
            rows={[
              { key: 'Дата рождения', value: formatDate(p.birthDate) },
              { key: 'Пол', value: p.sex === 'F' ? 'женский' : 'мужской' },
              { key: 'СНИЛС', value: formatSnils(p.snils) },
              { key: 'Полис ОМС', value: p.policy },
              { key: 'Телефон', value: p.phone ?? 'не указан' },
              ...(p.birthCertificate
                ? [
                    {
                      key: 'Свидетельство о рождении',
                      value: `${p.birthCertificate.series} № ${p.birthCertificate.number}`,
                    },
                  ]
                : []),
              { key: 'Добавлен из Госуслуг', value: yesNo(p.fromEsia) },
              {
                key: 'Проверка данных',
                value: `${wordOf(personStatusWord, p.status)}${p.rejectReason ? `: ${p.rejectReason}` : ''}`,
              },
              { key: 'Добавлен в картотеку', value: at(p.createdAt) },
            ]}
          />
        </section>
      ))}

      <h2>Визиты</h2>
      {d.visits.length === 0 ? (
        <Empty>Визитов нет.</Empty>
      ) : (
        <div className="table-scroll">
          <table className="data-table">
            <caption className="visually-hidden">Визиты людей картотеки</caption>
            <thead>
              <tr>
                <th scope="col">Когда</th>
                <th scope="col">Кто</th>
                <th scope="col">Врач</th>
                <th scope="col">Где</th>
                <th scope="col">Номер</th>
                <th scope="col">Статус</th>
                <th scope="col">Запись</th>
              </tr>
            </thead>
            <tbody>
              {d.visits.map((v) => (
                <tr key={v.id}>
                  <td>{formatLocalDateTime(v.localStart)}</td>
                  <td>{nameOf.get(v.personId) ?? '—'}</td>
                  <td>
                    {v.doctor}, {v.specialty.toLocaleLowerCase('ru-RU')}
                  </td>
                  <td>{capitalise(v.organisation)}</td>
                  <td>{v.reference}</td>
                  <td>{visitStatusLabel[v.status as keyof typeof visitStatusLabel] ?? v.status}</td>
                  <td>{sourceLabel[v.source as keyof typeof sourceLabel] ?? v.source}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}

      <h2>Очередь ожидания</h2>
      {d.waitlistEntries.length === 0 ? (
        <Empty>Записей в очередь нет.</Empty>
      ) : (
        <ul>
          {d.waitlistEntries.map((e) => (
            <li key={e.id}>
              {nameOf.get(e.personId) ?? '—'}: {e.doctor ?? `любой врач (${e.specialty.toLocaleLowerCase('ru-RU')})`},{' '}
              {capitalise(e.organisation)} — {wordOf(entryStatusWord, e.status)}, с {at(e.createdAt)}
              {e.offersMade > 0 ? `, предложений: ${e.offersMade}` : ''}
            </li>
          ))}
        </ul>
      )}
      {d.waitlistOffers.length > 0 && (
        <>
          <h3>Предложенное время</h3>
          <ul>
            {d.waitlistOffers.map((o) => (
              <li key={o.id}>
                {at(o.startAt)} — {wordOf(offerStatusWord, o.status)} (ответить до {at(o.deadline)})
              </li>
            ))}
          </ul>
        </>
      )}

      <h2>Уведомления</h2>
      {d.notifications.length === 0 ? (
        <Empty>Уведомлений нет.</Empty>
      ) : (
        <ul>
          {d.notifications.map((n) => (
            <li key={n.id}>
              {at(n.createdAt)} — {n.title}
              {n.readAt ? '' : ' (не прочитано)'}
            </li>
          ))}
        </ul>
      )}
      <h3>Письма</h3>
      {d.emails.length === 0 ? (
        <Empty>Писем нет.</Empty>
      ) : (
        <ul>
          {d.emails.map((m, i) => (
            // Letters have no id in the export; their order is stable.
            // biome-ignore lint/suspicious/noArrayIndexKey: the list is rendered once, never reordered
            <li key={i}>
              {at(m.createdAt)} — «{m.subject}», {wordOf(emailStatusWord, m.status)}
            </li>
          ))}
        </ul>
      )}
      <h3>Настройки уведомлений</h3>
      <p>
        {d.notificationPreferences
          ? `Письма: ${yesNo(d.notificationPreferences.email)}; push-уведомления: ${yesNo(d.notificationPreferences.push)}.`
          : 'Настройки по умолчанию: письма и push-уведомления включены.'}
      </p>
      <h3>Устройства с push-уведомлениями</h3>
      {d.pushSubscriptions.length === 0 ? (
        <Empty>Устройств нет.</Empty>
      ) : (
        <ul>
          {d.pushSubscriptions.map((s) => (
            <li key={s.id}>
              {s.service}, подключено {at(s.createdAt)}
            </li>
          ))}
        </ul>
      )}

      <h2>Направления</h2>
      {d.referrals.length === 0 ? (
        <Empty>Направлений нет.</Empty>
      ) : (
        <p>Направлений: {d.referrals.length}. Все их поля — в файле JSON.</p>
      )}

      <h2>Журнал действий</h2>
      {d.auditEntries.length === 0 ? (
        <Empty>Записей нет.</Empty>
      ) : (
        <ul>
          {d.auditEntries.map((e, i) => (
            // biome-ignore lint/suspicious/noArrayIndexKey: entries have no id in the export and never move
            <li key={i}>
              {at(e.at)} — {wordOf(auditActionWord, e.action)} ({wordOf(auditByWord, e.by)})
            </li>
          ))}
        </ul>
      )}

      <h2>Удаление данных</h2>
      <p>
        Человека из картотеки можно удалить на странице <Link to="/cardfile">«Моя картотека»</Link>. Прошедшие визиты
        остаются в медицинской организации как медицинские документы — без ваших персональных данных на портале.
      </p>
      <p>
        <Link to="/profile/delete">Удалить учётную запись</Link>
      </p>
    </Page>
  );
}
