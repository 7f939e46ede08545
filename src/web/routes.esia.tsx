// Routes of the ЕСИА sign-in pages: the error page and the first sign-in's registration.
import { Route } from 'react-router';
import { EsiaErrorPage } from './pages/esia/EsiaErrorPage.js';
import { EsiaRegisterPage } from './pages/esia/EsiaRegisterPage.js';

export const esiaRoutes = (
  <>
    <Route path="/esia/error" element={<EsiaErrorPage />} />
    <Route path="/esia/register" element={<EsiaRegisterPage />} />
  </>
);
