// A success message in a live region that exists before the message does, so screen
// readers announce it; the message takes focus because the control that caused it is gone.
import { useEffect, useRef } from 'react';

export function LiveMessage({ message, title = 'Готово' }: { message: string | null; title?: string }) {
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (message) ref.current?.focus();
  }, [message]);
  return (
    <div role="status" aria-live="polite" aria-atomic="true">
      {message && (
        <div className="notice notice-success" tabIndex={-1} ref={ref}>
          <p className="notice-title">{title}</p>
          <p>{message}</p>
        </div>
      )}
    </div>
  );
}
