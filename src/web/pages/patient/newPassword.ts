// A new password on the sign-up and reset pages: the rule shown beside the field, and the
// checks the page makes before sending (the server checks again).
import { isStrongPassword } from '../../../shared/validation.js';

export const PASSWORD_RULE = 'Не короче 10 символов, буквы и цифры';

/** Client-side checks of a new password and its repetition (the server checks again). */
export function newPasswordProblems(password: string, repeat: string): Record<string, string> {
  const fields: Record<string, string> = {};
  if (!password) fields.password = 'Введите пароль';
  else if (!isStrongPassword(password))
    fields.password = 'Пароль должен быть не короче 10 символов и содержать буквы и цифры';
  if (!repeat) fields.passwordRepeat = 'Повторите пароль';
  else if (password && repeat !== password) fields.passwordRepeat = 'Пароли не совпадают';
  return fields;
}
