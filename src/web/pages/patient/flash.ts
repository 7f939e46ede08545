// A one-off message carried to the next page in the history state (never in the URL).
// It is shown once: the state is cleared, so a reload or a return does not repeat it.
import { useEffect, useState } from 'react';
import { useLocation, useNavigate } from 'react-router';

export interface FlashState {
  flash?: { title: string; text?: string };
}

export const MODERATION_FLASH: FlashState = {
  flash: {
    title: 'Данные отправлены на проверку',
    text: 'Данные на проверке у модератора. Запись к врачу станет доступна после подтверждения.',
  },
};

export function useFlash(): FlashState['flash'] | null {
  const location = useLocation();
  const navigate = useNavigate();
  const [flash] = useState(() => (location.state as FlashState | null)?.flash ?? null);
  useEffect(() => {
    if ((location.state as FlashState | null)?.flash) {
      void navigate(location.pathname + location.search, { replace: true, state: null });
    }
  }, [location, navigate]);
  return flash;
}
