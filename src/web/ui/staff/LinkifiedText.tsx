// Plain text with web addresses turned into links. The text is rendered as text nodes
// (never as HTML), so nothing in it can inject markup.
import { Fragment } from 'react';
import { splitLinks } from './links.js';

export function LinkifiedText({ text, className }: { text: string; className?: string }) {
  // Each part is keyed by where it starts in the text: stable for one text, unique within it.
  let offset = 0;
  const parts = splitLinks(text).map((p) => {
    const at = offset;
    offset += p.text.length;
    return { ...p, at };
  });
  return (
    <div className={className}>
      {parts.map((p) =>
        p.href ? (
          <a key={p.at} href={p.href}>
            {p.text}
          </a>
        ) : (
          <Fragment key={p.at}>{p.text}</Fragment>
        ),
      )}
    </div>
  );
}
