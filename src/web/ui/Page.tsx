// A page: sets the document title, renders the heading and moves focus to it on
// navigation so screen-reader users hear where they are.
import { useEffect, useRef, type ReactNode } from 'react';
import { Link } from 'react-router';

export function Page({
  title,
  back,
  children,
  wide = false,
}: {
  title: string;
  /** Back link target (a path) with its text; shown above the heading. */
  back?: { to: string; label?: string };
  children: ReactNode;
  wide?: boolean;
}) {
  const h1 = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    document.title = `${title} — Приём`;
    h1.current?.focus();
  }, [title]);
  return (
    <div className={wide ? 'page page-wide' : 'page'}>
      {back && (
        <Link className="back-link" to={back.to}>
          {back.label ?? 'Назад'}
        </Link>
      )}
      <h1 ref={h1} tabIndex={-1}>
        {title}
      </h1>
      {children}
    </div>
  );
}
