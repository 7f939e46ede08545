import { Link } from 'react-router';
import { useSession } from '../session.js';
import { Page } from '../ui/Page.js';

export function HomePage() {
  const { account } = useSession();
  return (
    <Page title="Региональный портал медицинских услуг">
      <section className="services" aria-label="Услуги">
        <Link className="service-card" to={account ? '/book' : '/login?next=/book'}>
          <span className="service-title">Запись к врачу</span>
          <span className="service-text">Выберите специальность, врача, дату и время приёма</span>
        </Link>
        <Link className="service-card" to={account ? '/cardfile' : '/login?next=/cardfile'}>
          <span className="service-title">Моя картотека</span>
          <span className="service-text">Люди, которых вы записываете к врачу, их визиты и отмена записи</span>
        </Link>
        <Link className="service-card" to="/doctors">
          <span className="service-title">Расписание врачей</span>
          <span className="service-text">Посмотреть свободное время без входа в личный кабинет</span>
        </Link>
      </section>
      <p className="lead">
        Услуга «Запись на приём к врачу» доступна только авторизованным пользователям, для пациентов, чьи данные
        подтверждены модератором.
      </p>
    </Page>
  );
}
