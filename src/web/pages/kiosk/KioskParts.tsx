// Building blocks of the kiosk screens: a heading that takes focus when the screen
// changes, large buttons (at least 72 px high), an error panel and a loading line.
import { useEffect, useRef, type ReactNode } from 'react';
import { Button, type ButtonProps } from 'react-aria-components';

export function KioskHeading({ children }: { children: ReactNode }) {
  const ref = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    ref.current?.focus();
  }, []);
  return (
    <h1 ref={ref} tabIndex={-1} className="kiosk-title">
      {children}
    </h1>
  );
}

export function KioskButton({
  variant = 'primary',
  className,
  isPending = false,
  children,
  onPress,
  ...props
}: Omit<ButtonProps, 'className' | 'children' | 'isPending'> & {
  variant?: 'primary' | 'secondary' | 'warning' | 'choice';
  className?: string;
  isPending?: boolean;
  children: ReactNode;
}) {
  return (
    <Button
      {...props}
      onPress={isPending ? undefined : onPress}
      aria-busy={isPending || undefined}
      className={['kiosk-button', `kiosk-button-${variant}`, className ?? ''].filter(Boolean).join(' ')}
    >
      {children}
      {isPending && <span className="visually-hidden"> (выполняется)</span>}
    </Button>
  );
}

export function KioskError({ message }: { message: string | null }) {
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (message) ref.current?.focus();
  }, [message]);
  if (!message) return null;
  return (
    <div className="kiosk-error" role="alert" tabIndex={-1} ref={ref}>
      <p className="kiosk-error-title">Не получилось</p>
      <p>{message}</p>
    </div>
  );
}

export function KioskLoading() {
  return (
    <p className="kiosk-loading" role="status">
      Загружаем…
    </p>
  );
}

/** Back and forward actions at the bottom of a screen. */
export function KioskActions({ children }: { children: ReactNode }) {
  return <div className="kiosk-actions">{children}</div>;
}
