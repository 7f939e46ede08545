// A button built on react-aria-components: keyboard, touch and pending state handled;
// while `isPending` it stays focusable, is announced as busy and ignores presses.
import { Button as AriaButton, type ButtonProps as AriaButtonProps } from 'react-aria-components';

export interface ButtonProps extends Omit<AriaButtonProps, 'className'> {
  variant?: 'primary' | 'secondary' | 'warning';
  className?: string;
}

export function Button({ variant = 'primary', className, ...props }: ButtonProps) {
  const classes = ['button', variant !== 'primary' ? `button-${variant}` : '', className ?? ''].filter(Boolean).join(' ');
  return <AriaButton {...props} className={classes} />;
}
