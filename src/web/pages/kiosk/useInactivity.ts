// Resets the kiosk after a while without a touch: after `idleMs` a warning is shown for
// `warnMs` with a countdown; a touch on the warning dismisses it, and when the countdown
// ends `onTimeout` runs. Works with fake clocks (timers plus Date.now()).
import { useCallback, useEffect, useRef, useState } from 'react';

export interface Inactivity {
  /** Seconds left before the reset while the warning is shown; null otherwise. */
  secondsLeft: number | null;
  /** The person is still here: hide the warning and start over. */
  stillHere(): void;
}

const ACTIVITY_EVENTS = ['pointerdown', 'touchstart', 'keydown', 'wheel'] as const;

export function useInactivity({
  active,
  idleMs,
  warnMs,
  onTimeout,
}: {
  /** Off on the start screen: nothing to clear there. */
  active: boolean;
  idleMs: number;
  warnMs: number;
  onTimeout(): void;
}): Inactivity {
  const [secondsLeft, setSecondsLeft] = useState<number | null>(null);
  const timeoutRef = useRef(onTimeout);
  timeoutRef.current = onTimeout;
  const warning = useRef(false);
  const restart = useRef<() => void>(() => {});

  useEffect(() => {
    if (!active) {
      warning.current = false;
      setSecondsLeft(null);
      return;
    }
    let idleTimer: ReturnType<typeof setTimeout> | undefined;
    let tick: ReturnType<typeof setInterval> | undefined;
    const stop = () => {
      if (idleTimer !== undefined) clearTimeout(idleTimer);
      if (tick !== undefined) clearInterval(tick);
      idleTimer = undefined;
      tick = undefined;
    };
    const warn = () => {
      const deadline = Date.now() + warnMs;
      warning.current = true;
      setSecondsLeft(Math.ceil(warnMs / 1000));
      tick = setInterval(() => {
        const left = Math.ceil((deadline - Date.now()) / 1000);
        if (left > 0) {
          setSecondsLeft(left);
          return;
        }
        stop();
        warning.current = false;
        setSecondsLeft(null);
        timeoutRef.current();
      }, 250);
    };
    const start = () => {
      stop();
      warning.current = false;
      setSecondsLeft(null);
      idleTimer = setTimeout(warn, idleMs);
    };
    // While the warning is up only the warning itself dismisses it (a touch elsewhere must
    // not press what lies under it).
    const onActivity = () => {
      if (!warning.current) start();
    };
    restart.current = start;
    for (const e of ACTIVITY_EVENTS) window.addEventListener(e, onActivity, { capture: true, passive: true });
    start();
    return () => {
      stop();
      restart.current = () => {};
      for (const e of ACTIVITY_EVENTS) window.removeEventListener(e, onActivity, { capture: true });
    };
  }, [active, idleMs, warnMs]);

  const stillHere = useCallback(() => restart.current(), []);
  return { secondsLeft, stillHere };
}
