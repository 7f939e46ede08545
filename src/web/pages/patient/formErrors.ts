// The errors of a form: the summary's message and the per-field messages, from an ApiError
// (the server's `fields` are keyed by the request's field names) or from client checks.
import { asApiError } from './useApiData.js';

export interface FormErrors {
  message: string | null;
  fields: Record<string, string>;
  /** Changes on every failed attempt, so the summary takes focus again. */
  attempt: number;
}

export const noErrors: FormErrors = { message: null, fields: {}, attempt: 0 };

export function errorsFromApi(e: unknown, previous: FormErrors): FormErrors {
  const a = asApiError(e);
  const fields = { ...a.fields };
  // A refusal about one field (a common password, a birth date in the future) names it in
  // `details.field`: its message goes next to that field.
  const field = a.details.field;
  if (typeof field === 'string' && !fields[field]) {
    fields[field] = a.message;
    return { message: null, fields, attempt: previous.attempt + 1 };
  }
  // A validation failure lists its fields; the general sentence adds nothing then.
  const message = a.code === 'VALIDATION_FAILED' && Object.keys(fields).length ? null : a.message;
  return { message, fields, attempt: previous.attempt + 1 };
}

export function errorsFromFields(fields: Record<string, string>, previous: FormErrors): FormErrors {
  return { message: null, fields, attempt: previous.attempt + 1 };
}

export function hasErrors(e: FormErrors): boolean {
  return e.message !== null || Object.keys(e.fields).length > 0;
}
