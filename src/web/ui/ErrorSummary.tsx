// GOV.UK-style error summary: lists the problems, links to the fields, and takes focus.
import { useEffect, useRef } from 'react';

export interface FieldErrors {
  [field: string]: string;
}

export function ErrorSummary({
  message,
  fields = {},
  labels = {},
}: {
  message: string | null;
  fields?: FieldErrors;
  /** Field name -> the id of its input, for the links. Defaults to the field name. */
  labels?: Record<string, string>;
}) {
  const ref = useRef<HTMLDivElement>(null);
  const entries = Object.entries(fields);
  useEffect(() => {
    if (message || entries.length) ref.current?.focus();
  }, [message, entries.length]);
  if (!message && entries.length === 0) return null;
  return (
    <div className="error-summary" role="alert" tabIndex={-1} ref={ref} aria-labelledby="error-summary-title">
      <h2 id="error-summary-title">{entries.length ? 'Исправьте ошибки' : 'Не получилось'}</h2>
      {message && <p>{message}</p>}
      {entries.length > 0 && (
        <ul>
          {entries.map(([field, text]) => (
            <li key={field}>
              <a href={`#${labels[field] ?? field}`}>{text}</a>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
