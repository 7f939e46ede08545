// The profile's «Мои данные» (152-ФЗ): download, read, delete.
import { Link } from 'react-router';

export function OwnDataLinks() {
  return (
    <section aria-labelledby="own-data-title">
      <h2 id="own-data-title">Мои данные</h2>
      <p>Всё, что портал хранит о вас и людях вашей картотеки: учётная запись, люди, визиты, очередь, уведомления.</p>
      <p className="button-row">
        <a className="button button-secondary" href="/api/account/data/download" download>
          Скачать мои данные
        </a>
        <Link to="/profile/data">Посмотреть на странице</Link>
        <Link to="/profile/delete">Удалить учётную запись</Link>
      </p>
    </section>
  );
}
