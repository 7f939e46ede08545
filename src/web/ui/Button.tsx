// A button built on react-aria-components: keyboard and touch handled. While `isPending`
// it stays focusable, says it is busy (aria-busy and hidden text) and ignores presses.
// (react-aria's own isPending leaves a live-region entry pointing at the button, which is
// left nameless when the press navigates away; this keeps the announcement in our hands.)
import type { ReactNode } from 'react';
import { Button as AriaButton, type ButtonProps as AriaButtonProps } from 'react-aria-components';

export interface ButtonProps extends Omit<AriaButtonProps, 'className' | 'children' | 'isPending'> {
  variant?: 'primary' | 'secondary' | 'warning';
  className?: string;
  isPending?: boolean;
  children?: ReactNode;
}

export function Button({
  variant = 'primary',
  className,
  isPending = false,
  onPress,
  type,
  children,
  ...props
}: ButtonProps) {
  const classes = [
    'button',
    variant !== 'primary' ? `button-${variant}` : '',
    isPending ? 'button-pending' : '',
    className ?? '',
  ]
    .filter(Boolean)
    .join(' ');
  return (
    <AriaButton
      {...props}
      type={isPending ? 'button' : type}
      onPress={isPending ? undefined : onPress}
      aria-busy={isPending || undefined}
      className={classes}
    >
      {children}
      {isPending && <span className="visually-hidden"> (выполняется)</span>}
    </AriaButton>
  );
}
