// Routes of the ЕСИА sign-in pages: the error page and the first sign-in's registration.
import { Route } from 'react-router';
import { page } from './lazy.js';

const EsiaErrorPage = page(() => import('./pages/esia/EsiaErrorPage.js'), 'EsiaErrorPage');
const EsiaRegisterPage = page(() => import('./pages/esia/EsiaRegisterPage.js'), 'EsiaRegisterPage');

export const esiaRoutes = (
  <>
    <Route path="/esia/error" element={<EsiaErrorPage />} />
    <Route path="/esia/register" element={<EsiaRegisterPage />} />
  </>
);
