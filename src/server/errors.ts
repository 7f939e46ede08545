// The closed catalogue of error codes: HTTP status and the Russian message shown to people.
// Domain code throws `new AppError('CODE')`; one handler in app.ts maps it to a response.

export const errorCatalogue = {
  VALIDATION_FAILED: { status: 400, message: 'Проверьте введённые данные.' },
  BAD_REQUEST: { status: 400, message: 'Неверный запрос.' },
  NOT_AUTHENTICATED: { status: 401, message: 'Войдите в личный кабинет, чтобы продолжить.' },
  INVALID_CREDENTIALS: { status: 401, message: 'Неверный адрес электронной почты или пароль.' },
  EMAIL_NOT_CONFIRMED: {
    status: 403,
    message: 'Адрес электронной почты не подтверждён. Перейдите по ссылке из письма, которое мы отправили.',
  },
  CSRF_FAILED: { status: 403, message: 'Страница устарела. Обновите её и повторите действие.' },
  FORBIDDEN: { status: 403, message: 'Недостаточно прав для этого действия.' },
  NOT_FOUND: { status: 404, message: 'Не найдено.' },
  PERSON_NOT_FOUND: { status: 404, message: 'Человек не найден в вашей картотеке.' },
  APPOINTMENT_NOT_FOUND: { status: 404, message: 'Запись не найдена.' },
  SLOT_NOT_FOUND: { status: 404, message: 'Такого времени в расписании нет.' },
  DOCTOR_NOT_FOUND: { status: 404, message: 'Врач не найден.' },
  HOLD_NOT_FOUND: {
    status: 409,
    message: 'Время больше не закреплено за вами: срок подтверждения истёк. Выберите время ещё раз.',
  },
  TOKEN_INVALID: { status: 400, message: 'Ссылка недействительна или устарела. Запросите новую.' },
  PASSWORD_TOO_WEAK: {
    status: 400,
    message: 'Пароль должен быть не короче 10 символов и содержать буквы и цифры.',
  },
  MAIN_PERSON_EXISTS: { status: 409, message: 'Данные главного пользователя уже заполнены.' },
  MAIN_PERSON_REQUIRED: { status: 409, message: 'Сначала заполните свои персональные данные.' },
  PERSON_NOT_EDITABLE: { status: 409, message: 'Подтверждённые данные изменить нельзя. Обратитесь в регистратуру.' },
  PERSON_DUPLICATE: { status: 409, message: 'Человек с таким СНИЛС или полисом уже есть в вашей картотеке.' },
  BIRTH_DATE_IN_FUTURE: { status: 400, message: 'Дата рождения не может быть позже сегодняшнего дня.' },
  PERSON_NOT_CONFIRMED: {
    status: 409,
    message: 'Данные человека ещё на проверке у модератора. Запись станет доступна после подтверждения.',
  },
  PERSON_REJECTED: {
    status: 409,
    message: 'Данные человека отклонены модератором. Исправьте их в картотеке и отправьте на проверку снова.',
  },
  ALREADY_DECIDED: { status: 409, message: 'По этим данным уже принято решение.' },
  SLOT_TAKEN: { status: 409, message: 'Это время только что заняли. Выберите другое время.' },
  SLOT_IN_PAST: { status: 409, message: 'Это время уже прошло. Выберите другое время.' },
  SLOT_BEYOND_HORIZON: { status: 409, message: 'На это время запись ещё не открыта.' },
  SLOT_BLOCKED: { status: 409, message: 'На это время приём не ведётся. Выберите другое время.' },
  AGE_RESTRICTED: { status: 409, message: 'Этот специалист не принимает пациентов такого возраста.' },
  SEX_RESTRICTED: { status: 409, message: 'Этот специалист принимает только пациентов другого пола.' },
  OVERLAPPING_APPOINTMENT: {
    status: 409,
    message: 'У этого человека уже есть запись на это же время. Выберите другое время.',
  },
  SPECIALTY_LIMIT_REACHED: {
    status: 409,
    message: 'У этого человека уже есть предстоящая запись к врачу этой специальности. Отмените её, чтобы записаться снова.',
  },
  CUTOFF_PASSED: {
    status: 409,
    message:
      'Отменить запись через портал уже нельзя: регистратура сформировала списки пациентов и подобрала медицинские карты на этот день. Позвоните в регистратуру.',
  },
  NOT_CANCELLABLE_HERE: {
    status: 409,
    message: 'Эту запись можно отменить только через регистратуру медицинской организации.',
  },
  ALREADY_CANCELLED: { status: 409, message: 'Запись уже отменена.' },
  VISIT_IN_PAST: { status: 409, message: 'Визит уже состоялся, отменить его нельзя.' },
  // waitlist (SPEC section 4)
  WAITLIST_NOT_ALLOWED: {
    status: 409,
    message:
      'Эта медицинская организация не ведёт очередь через портал. Записаться можно по телефону регистратуры.',
  },
  WAITLIST_NOT_NEEDED: {
    status: 409,
    message: 'Встать в очередь нельзя: в расписании есть свободное время. Выберите его и запишитесь.',
  },
  WAITLIST_ALREADY: { status: 409, message: 'Этот человек уже стоит в этой очереди.' },
  ENTRY_NOT_FOUND: { status: 404, message: 'Запись в очередь не найдена.' },
  ENTRY_ENDED: { status: 409, message: 'Эта запись в очередь уже завершена.' },
  OFFER_NOT_FOUND: { status: 404, message: 'Предложенное время не найдено.' },
  OFFER_EXPIRED: {
    status: 409,
    message: 'Срок ответа на предложенное время истёк: время предложено следующему в очереди.',
  },
  OFFER_ANSWERED: { status: 409, message: 'На это предложение уже дан ответ.' },
  // notifications (SPEC section 5)
  NOTIFICATION_NOT_FOUND: { status: 404, message: 'Уведомление не найдено.' },
  PUSH_SUBSCRIPTION_NOT_FOUND: { status: 404, message: 'Это устройство не подписано на уведомления.' },
  PUSH_SUBSCRIPTION_INVALID: {
    status: 400,
    message: 'Браузер передал неверные данные для уведомлений. Обновите страницу и попробуйте снова.',
  },
  PUSH_UNAVAILABLE: { status: 503, message: 'Уведомления на устройство сейчас недоступны. Уведомления по почте и на портале работают.' },
  RATE_LIMITED: { status: 429, message: 'Слишком много попыток. Подождите минуту и попробуйте снова.' },
  INTERNAL: { status: 500, message: 'Что-то пошло не так. Попробуйте ещё раз немного позже.' },
} as const satisfies Record<string, { status: number; message: string }>;

export type ErrorCode = keyof typeof errorCatalogue;

export class AppError extends Error {
  readonly status: number;
  constructor(
    public readonly code: ErrorCode,
    /** Optional extra fields for programs (never personal data). */
    public readonly details?: Record<string, unknown>,
    /** Overrides the catalogue's message (still Russian, still without personal data). */
    messageOverride?: string,
  ) {
    super(messageOverride ?? errorCatalogue[code].message);
    this.status = errorCatalogue[code].status;
  }
}
