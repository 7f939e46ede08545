import type { ReactNode } from 'react';

/** An information or success panel. Meaning is carried by the heading text, not colour. */
export function Notice({
  kind = 'info',
  title,
  children,
}: {
  kind?: 'info' | 'success' | 'warning';
  title?: string;
  children?: ReactNode;
}) {
  return (
    <div className={`notice notice-${kind}`} role={kind === 'info' ? undefined : 'status'}>
      {title && <p className="notice-title">{title}</p>}
      {children}
    </div>
  );
}
