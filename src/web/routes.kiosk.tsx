// Routes of the infomat: the kiosk screen (/kiosk, rendered without the portal's header and
// footer: see App.tsx) and the staff page that switches kiosks on and off (/kiosk/devices).
import { Route } from 'react-router';
import { page } from './lazy.js';

const KioskDevicesPage = page(() => import('./pages/kiosk/KioskDevicesPage.js'), 'KioskDevicesPage');
const KioskPage = page(() => import('./pages/kiosk/KioskPage.js'), 'KioskPage');

export const KIOSK_SCREEN_PATH = '/kiosk';

/** The kiosk screen takes the whole window. */
export function isKioskScreen(pathname: string): boolean {
  return pathname === KIOSK_SCREEN_PATH || pathname === `${KIOSK_SCREEN_PATH}/`;
}

export const kioskScreen = <KioskPage />;

export const kioskRoutes = <Route path="/kiosk/devices" element={<KioskDevicesPage />} />;
