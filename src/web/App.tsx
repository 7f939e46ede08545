// The layout (header with «Моя картотека», main, footer) and the route table. Pages load
// lazily (lazy.tsx, the routes.*.tsx files): the first load carries the layout and one page.
import { Suspense } from 'react';
import { Link, NavLink, Route, Routes, useLocation, useNavigate } from 'react-router';
import { api } from './api.js';
import { useSession } from './session.js';
import { patientRoutes } from './routes.patient.js';
import { waitlistRoutes } from './routes.waitlist.js';
import { staffRoutes } from './routes.staff.js';
import { notifyRoutes } from './routes.notify.js';
import { isKioskScreen, kioskRoutes, kioskScreen } from './routes.kiosk.js';
import { deskRoutes } from './routes.desk.js';
import { absenceRoutes } from './routes.absence.js';
import { catalogueRoutes } from './routes.catalogue.js';
import { ownDataRoutes } from './routes.owndata.js';
import { useUnreadCount } from './pages/notify/unread.js';
import { plural } from './ui/format.js';
import { Loading } from './ui/Loading.js';
import { LowVision } from './ui/LowVision.js';
import { HomePage } from './pages/HomePage.js';
import { NotFoundPage } from './pages/NotFoundPage.js';

function Header() {
  const { account, refresh } = useSession();
  const navigate = useNavigate();
  const unread = useUnreadCount(account?.role === 'patient');
  const logout = async () => {
    // The next person on this browser must not get this account's notifications.
    const { forgetThisDeviceOnSignOut } = await import('./pages/notify/push.js');
    await forgetThisDeviceOnSignOut();
    await api.post('/api/auth/logout');
    await refresh();
    await navigate('/');
  };
  return (
    <header className="site-header">
      <a className="skip-link" href="#main">
        Перейти к содержимому
      </a>
      <LowVision />
      <div className="header-inner">
        <Link to="/" className="brand">
          <span className="brand-mark" aria-hidden="true">
            +
          </span>
          Приём
          <span className="brand-sub">региональный портал медицинских услуг</span>
        </Link>
        <nav aria-label="Основное меню" className="header-nav">
          {account ? (
            <>
              {account.role === 'patient' && <NavLink to="/cardfile">Моя картотека</NavLink>}
              {account.role === 'patient' && (
                <NavLink to="/notifications">
                  Уведомления
                  {unread !== null && unread > 0 && (
                    <>
                      {' '}
                      ({unread}
                      <span className="visually-hidden">
                        {' '}
                        {plural(unread, ['непрочитанное', 'непрочитанных', 'непрочитанных'])}
                      </span>
                      )
                    </>
                  )}
                </NavLink>
              )}
              {account.role === 'moderator' && <NavLink to="/moderation">Модерация</NavLink>}
              {account.role === 'operator' && (
                <NavLink to="/operator" end>
                  Настройки портала
                </NavLink>
              )}
              {account.role === 'operator' && <NavLink to="/operator/organisations">Организации</NavLink>}
              {account.role === 'operator' && <NavLink to="/operator/specialties">Специальности</NavLink>}
              {(account.role === 'registrar' || account.role === 'operator') && (
                <NavLink to="/kiosk/devices">Инфоматы</NavLink>
              )}
              {account.role === 'registrar' && <NavLink to="/desk">Регистратура</NavLink>}
              {account.role === 'doctor' && <NavLink to="/doctor">Приём пациентов</NavLink>}
              {account.role === 'clinic_admin' && (
                <>
                  <NavLink to="/clinic" end>
                    Врачи
                  </NavLink>
                  <NavLink to="/clinic/schedules">Расписание</NavLink>
                  <NavLink to="/desk/absences">Закрыть приём</NavLink>
                  <NavLink to="/clinic/organisation">Организация</NavLink>
                  <NavLink to="/clinic/audit">Журнал изменений</NavLink>
                </>
              )}
              <button type="button" className="link-button" onClick={() => void logout()}>
                Выйти
              </button>
            </>
          ) : (
            <>
              <NavLink to="/login">Войти</NavLink>
              <NavLink to="/signup">Регистрация</NavLink>
            </>
          )}
        </nav>
      </div>
    </header>
  );
}

export function App() {
  // The infomat takes the whole screen: no header, no footer.
  const { pathname } = useLocation();
  if (isKioskScreen(pathname)) return <Suspense fallback={<Loading />}>{kioskScreen}</Suspense>;
  return (
    <>
      <Header />
      <main id="main" className="site-main">
        <Suspense fallback={<Loading />}>
          <Routes>
            <Route path="/" element={<HomePage />} />
            {patientRoutes}
            {waitlistRoutes}
            {staffRoutes}
            {notifyRoutes}
            {kioskRoutes}
            {deskRoutes}
            {absenceRoutes}
            {catalogueRoutes}
            {ownDataRoutes}
            <Route path="*" element={<NotFoundPage />} />
          </Routes>
        </Suspense>
      </main>
      <footer className="site-footer">
        <p>«Приём» — региональный портал медицинских услуг. Вопросы о записи — в регистратуру вашей поликлиники.</p>
        <p>
          <a href="/api/docs">Документация API</a>
        </p>
      </footer>
    </>
  );
}
