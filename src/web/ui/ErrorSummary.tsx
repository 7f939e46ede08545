// GOV.UK-style error summary: lists the problems, links to the fields, and takes focus.
import { type MouseEvent, useEffect, useRef } from 'react';

const FOCUSABLE = 'input, select, textarea, button, [tabindex]';

/**
 * Where a link to a field puts focus: the field itself, or, for a group (a RadioChoice's
 * radio group, whose id is on the group's element), its checked radio or else its first
 * enabled one. A fragment link alone would only scroll: the group element cannot take focus.
 */
export function focusTargetOf(field: HTMLElement): HTMLElement | null {
  if (field.matches(FOCUSABLE)) return field;
  return (
    field.querySelector<HTMLElement>('input:checked:not([disabled])') ??
    field.querySelector<HTMLElement>('input:not([disabled]), select:not([disabled]), textarea:not([disabled])')
  );
}

function goToField(event: MouseEvent<HTMLAnchorElement>, id: string) {
  const field = document.getElementById(id);
  const target = field && focusTargetOf(field);
  if (!field || !target) return;
  event.preventDefault();
  // The question (the group's label or the field's own) comes into view with the field.
  field.scrollIntoView({ block: 'center' });
  target.focus({ preventScroll: true });
}

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
              <a href={`#${labels[field] ?? field}`} onClick={(e) => goToField(e, labels[field] ?? field)}>
                {text}
              </a>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
