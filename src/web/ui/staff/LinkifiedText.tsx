// Plain text with web addresses turned into links. The text is rendered as text nodes
// (never as HTML), so nothing in it can inject markup.
import { Fragment } from 'react';
import { splitLinks } from './links.js';

export function LinkifiedText({ text, className }: { text: string; className?: string }) {
  return (
    <div className={className}>
      {splitLinks(text).map((p, i) =>
        p.href ? (
          <a key={i} href={p.href}>
            {p.text}
          </a>
        ) : (
          <Fragment key={i}>{p.text}</Fragment>
        ),
      )}
    </div>
  );
}
