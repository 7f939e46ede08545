// What the own-data page calls the export's codes (152-ФЗ, issue 19).

export const personStatusWord: Record<string, string> = {
  pending: 'на проверке',
  confirmed: 'подтверждены',
  rejected: 'отклонены',
};

export const entryStatusWord: Record<string, string> = {
  waiting: 'в очереди',
  offered: 'предложено время',
  fulfilled: 'записан',
  left: 'вышел из очереди',
  removed: 'исключён из очереди',
};

export const offerStatusWord: Record<string, string> = {
  pending: 'ждёт ответа',
  accepted: 'принято',
  declined: 'отклонено',
  expired: 'истёк срок',
  withdrawn: 'отозвано',
};

export const emailStatusWord: Record<string, string> = {
  pending: 'отправляется',
  sent: 'отправлено',
  failed: 'не доставлено',
};

export const auditByWord: Record<'you' | 'staff' | 'system', string> = {
  you: 'вы',
  staff: 'сотрудник медицинской организации',
  system: 'портал',
};

/** An audit action as a person reads it; unknown ones stay as they are. */
export const auditActionWord: Record<string, string> = {
  'person.confirm': 'данные подтверждены модератором',
  'person.reject': 'данные отклонены модератором',
  'person.erase': 'человек удалён из картотеки',
  'account.erase': 'учётная запись удалена',
  'appointment.book': 'запись в регистратуре',
  'appointment.cancel': 'отмена в регистратуре',
  'patient.register': 'регистрация в медицинской организации',
  'esia.link': 'привязаны Госуслуги',
};

export function wordOf(words: Record<string, string>, code: string): string {
  return words[code] ?? code;
}
