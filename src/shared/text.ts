// One rule for every free-text field a client can send (names, addresses, labels, reasons,
// search queries, query-string text): no control, bidi-override, zero-width or broken
// characters, trimmed, bounded. Shared by the server (request schemas) and the web app.
import { z } from 'zod';

/**
 * Characters refused in any free text: C0 controls (except \t and \n, allowed in multiline
 * text), DEL and C1 controls; bidi embeddings, overrides, isolates and marks (U+202A–U+202E,
 * U+2066–U+2069, U+200E, U+200F, U+061C); zero-width characters (U+200B–U+200D, U+2060,
 * U+FEFF); and UTF-16 surrogates that are not part of a pair.
 */
const FORBIDDEN_SINGLE_LINE =
  // biome-ignore lint/suspicious/noControlCharactersInRegex: finding control characters is what this expression is for
  /[\u0000-\u001F\u007F-\u009F\u061C\u200B-\u200F\u202A-\u202E\u2060\u2066-\u2069\uFEFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
const FORBIDDEN_MULTILINE =
  // biome-ignore lint/suspicious/noControlCharactersInRegex: finding control characters is what this expression is for
  /[\u0000-\u0008\u000B-\u001F\u007F-\u009F\u061C\u200B-\u200F\u202A-\u202E\u2060\u2066-\u2069\uFEFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** Whether the text holds a character no free-text field accepts (\t and \n pass when multiline). */
export function hasForbiddenCharacters(value: string, multiline = false): boolean {
  return (multiline ? FORBIDDEN_MULTILINE : FORBIDDEN_SINGLE_LINE).test(value);
}

/** «Название: недопустимые символы …» — the message that names the field. */
export function forbiddenCharactersMessage(field: string): string {
  return `${field}: недопустимые символы (управляющие или невидимые знаки)`;
}

export interface FreeTextOptions {
  /** The field's Russian name as the form labels it, e.g. «Название»; starts every message. */
  field: string;
  /** The longest text accepted, after trimming. */
  max: number;
  /** The shortest text accepted, after trimming (default 1: an empty text is refused). Use 0 for optional text. */
  min?: number;
  /** The message for a text shorter than `min` (default «<Поле>: заполните это поле» or «… не короче N символов»). */
  minMessage?: string;
  /** Text with line breaks (a reason, a comment): \n and \t are allowed, \r\n is read as \n. */
  multiline?: boolean;
}

/**
 * A free-text string schema: refuses forbidden characters (checked before trimming, so a
 * trailing NUL is refused, not trimmed away), then trims and bounds the length. Returns a
 * plain zod string, so a field adds its own format check with `.regex(...)`.
 */
export function freeText({ field, max, min = 1, minMessage, multiline = false }: FreeTextOptions) {
  let schema = z.string();
  if (multiline) schema = schema.overwrite((v) => v.replace(/\r\n/g, '\n'));
  schema = schema.refine((v) => !hasForbiddenCharacters(v, multiline), forbiddenCharactersMessage(field)).trim();
  if (min > 0) {
    schema = schema.min(
      min,
      minMessage ?? (min === 1 ? `${field}: заполните это поле` : `${field}: не короче ${min} символов`),
    );
  }
  return schema.max(max, `${field}: не длиннее ${max} символов`);
}

/** Query-string or protocol text that is not shown to people but still must be text (ЕСИА's callback, FHIR search). */
export function plainParameter(field: string, max: number) {
  return z
    .string()
    .refine((v) => !hasForbiddenCharacters(v), forbiddenCharactersMessage(field))
    .max(max, `${field}: не длиннее ${max} символов`);
}

/** A string with only the character check, for values a format check reads next (СНИЛС, полис with separators). */
export function checkedText(field: string) {
  return z.string().refine((v) => !hasForbiddenCharacters(v), forbiddenCharactersMessage(field));
}
