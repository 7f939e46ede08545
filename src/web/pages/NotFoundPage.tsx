import { Link } from 'react-router';
import { Page } from '../ui/Page.js';

export function NotFoundPage() {
  return (
    <Page title="Страница не найдена">
      <p>Возможно, адрес набран с ошибкой или страница больше не существует.</p>
      <p>
        <Link to="/">На главную</Link>
      </p>
    </Page>
  );
}
