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
  /** DELETE /api/holds/:slotId when this account holds no such slot (someone else's hold looks the same). */
  NO_SUCH_HOLD: { status: 404, message: 'Это время не закреплено за вами.' },
  HOLD_NOT_FOUND: {
    status: 409,
    message: 'Время больше не закреплено за вами: срок подтверждения истёк. Выберите время ещё раз.',
  },
  TOKEN_INVALID: { status: 400, message: 'Ссылка недействительна или устарела. Запросите новую.' },
  PASSWORD_TOO_WEAK: {
    status: 400,
    message: 'Пароль должен быть не короче 10 символов и содержать буквы и цифры.',
  },
  // A new password checked against common and breached passwords (identity/password.strength.ts).
  PASSWORD_TOO_COMMON: {
    status: 400,
    message: 'Этот пароль слишком распространён: его легко подобрать. Придумайте другой.',
  },
  PASSWORD_HAS_PERSONAL_DATA: {
    status: 400,
    message: 'Пароль не должен содержать ваш адрес электронной почты или имя: их легко узнать. Придумайте другой.',
  },
  PASSWORD_TOO_GUESSABLE: {
    status: 400,
    message:
      'Этот пароль легко подобрать: в нём узнаваемые слова, даты, повторы или ряды клавиш. Добавьте ещё слово или несколько неожиданных символов.',
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
    message:
      'У этого человека уже есть предстоящая запись к врачу этой специальности. Отмените её, чтобы записаться снова.',
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
  // moving a visit (SPEC section 8a)
  VISIT_ALREADY_MOVED: { status: 409, message: 'Этот визит уже перенесён на другое время. Откройте «Мою картотеку».' },
  MOVE_TARGET_NOT_ALLOWED: {
    status: 409,
    message:
      'Перенести визит можно только на другое время этого же врача или к другому врачу той же специальности в той же медицинской организации.',
  },
  MOVE_SAME_TIME: { status: 409, message: 'Визит уже назначен на это время. Выберите другое время.' },
  // «Не смогу прийти» after the cancel time (SPEC section 8a)
  RELEASE_BEFORE_CUTOFF: {
    status: 409,
    message: 'Время отмены ещё не прошло: отмените визит кнопкой «Отменить визит», и время станет свободным.',
  },
  ALREADY_RELEASED: { status: 409, message: 'Вы уже сообщили, что не придёте на этот визит.' },
  // waitlist (SPEC section 4)
  WAITLIST_NOT_ALLOWED: {
    status: 409,
    message: 'Эта медицинская организация не ведёт очередь через портал. Записаться можно по телефону регистратуры.',
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
  /** The endpoint is another account's: a browser's subscription is never moved to whoever posts it (the web app subscribes afresh). */
  PUSH_ENDPOINT_TAKEN: {
    status: 409,
    message:
      'Эта подписка на уведомления принадлежит другой учётной записи. Включите уведомления на этом устройстве ещё раз.',
  },
  PUSH_SUBSCRIPTION_INVALID: {
    status: 400,
    message: 'Браузер передал неверные данные для уведомлений. Обновите страницу и попробуйте снова.',
  },
  PUSH_UNAVAILABLE: {
    status: 503,
    message: 'Уведомления на устройство сейчас недоступны. Уведомления по почте и на портале работают.',
  },
  // ЕСИА (sign-in through Госуслуги; the codes are shown on /esia/error?code=…)
  ESIA_UNAVAILABLE: {
    status: 503,
    message: 'Вход через Госуслуги сейчас недоступен. Войдите по адресу электронной почты или попробуйте позже.',
  },
  ESIA_DENIED: {
    status: 400,
    message:
      'Вход не выполнен: на Госуслугах отказано в предоставлении данных порталу. Если это ошибка, войдите ещё раз и нажмите «Предоставить».',
  },
  ESIA_REFUSED: { status: 400, message: 'Госуслуги не выполнили вход. Попробуйте войти ещё раз немного позже.' },
  ESIA_STATE_INVALID: { status: 400, message: 'Запрос на вход не найден. Начните вход через Госуслуги заново.' },
  ESIA_STATE_USED: {
    status: 400,
    message: 'Этот ответ Госуслуг уже использован: вход по нему повторно невозможен. Начните вход заново.',
  },
  ESIA_REQUEST_EXPIRED: { status: 400, message: 'Время на вход через Госуслуги истекло. Начните вход заново.' },
  ESIA_BROWSER_MISMATCH: {
    status: 400,
    message:
      'Вход через Госуслуги был начат в другом браузере или вкладке с другим входом. Начните вход заново в этом браузере.',
  },
  ESIA_CODE_REJECTED: {
    status: 400,
    message: 'Госуслуги не подтвердили вход: код авторизации уже использован или устарел. Начните вход заново.',
  },
  ESIA_STATE_MISMATCH: {
    status: 502,
    message: 'Ответ Госуслуг не прошёл проверку и отклонён в целях безопасности. Начните вход заново.',
  },
  ESIA_TOKEN_INVALID: {
    status: 502,
    message: 'Подпись ответа Госуслуг не прошла проверку: вход отклонён в целях безопасности. Попробуйте позже.',
  },
  ESIA_NO_SUBJECT: {
    status: 502,
    message: 'Госуслуги не передали идентификатор учётной записи. Вход не выполнен, попробуйте позже.',
  },
  ESIA_PROVIDER_ERROR: { status: 502, message: 'Госуслуги сейчас не отвечают. Попробуйте войти позже.' },
  ESIA_TIMEOUT: { status: 504, message: 'Госуслуги не ответили вовремя. Попробуйте войти немного позже.' },
  ESIA_PROFILE_INCOMPLETE: {
    status: 502,
    message:
      'Госуслуги передали неполные личные данные (ФИО, дату рождения или пол). Проверьте их в профиле на Госуслугах.',
  },
  ESIA_ACCOUNT_DELETED: {
    status: 403,
    message: 'Учётная запись на Госуслугах удалена. Вход через неё невозможен: войдите по адресу электронной почты.',
  },
  ESIA_UNTRUSTED: {
    status: 403,
    message:
      'Привязать можно только подтверждённую учётную запись Госуслуг. Подтвердите личность на Госуслугах (в МФЦ, через банк или Почту России) и повторите.',
  },
  ESIA_ALREADY_LINKED: {
    status: 409,
    message: 'Эта учётная запись Госуслуг уже привязана к другому личному кабинету портала.',
  },
  ESIA_OTHER_LINKED: {
    status: 409,
    message: 'К вашему личному кабинету уже привязана другая учётная запись Госуслуг.',
  },
  ESIA_PERSON_MISMATCH: {
    status: 409,
    message:
      'СНИЛС или дата рождения на Госуслугах не совпадают с данными главного пользователя вашей картотеки. Привязка не выполнена.',
  },
  ESIA_PASSWORD_WRONG: { status: 401, message: 'Неверный пароль.' },
  ESIA_PASSWORD_NEEDED: {
    status: 409,
    message: 'У этого личного кабинета нет пароля. Задайте его через «Забыли пароль?», затем привяжите Госуслуги.',
  },
  ESIA_REGISTRATION_EXPIRED: {
    status: 400,
    message: 'Время на завершение регистрации истекло. Войдите через Госуслуги ещё раз.',
  },
  // channels: registry desk, doctor, infomat, clinic systems (SPEC section 8)
  PATIENT_NOT_FOUND: { status: 404, message: 'Пациент не найден.' },
  PATIENT_EXISTS: {
    status: 409,
    message: 'Пациент с таким СНИЛС или полисом уже есть в регистре. Найдите его через поиск.',
  },
  STAFF_ORGANISATION_MISMATCH: { status: 403, message: 'Это данные другой медицинской организации.' },
  VISIT_NOT_FINISHED: { status: 409, message: 'Визит ещё не начался: отметить его результат нельзя.' },
  NOT_CANCELLABLE_AT_KIOSK: {
    status: 409,
    message:
      'Эту запись сделали на портале: отменить её можно в личном кабинете того, кто записывал, или в регистратуре.',
  },
  SOURCE_NOT_ALLOWED: { status: 400, message: 'Этот канал не может создавать записи с таким источником.' },
  EXTERNAL_ID_CONFLICT: {
    status: 409,
    message: 'Запись с таким внешним идентификатором уже передана с другими данными.',
  },
  // registry desk: blocking slots (SPEC section 8)
  SLOT_NOT_FREE: {
    status: 409,
    message:
      'Закрыть можно только свободное время: на это время уже записан пациент или оно предложено пациенту из очереди.',
  },
  SLOT_NOT_BLOCKED: { status: 409, message: 'Это время не закрыто для записи.' },
  // schedule templates, quotas and exceptions (issue 16)
  SLOT_NOT_FOR_PORTAL: {
    status: 409,
    message:
      'На это время через портал не записывают: оно оставлено для регистратуры или для записи по направлению. Выберите другое время.',
  },
  // referrals (направления, SPEC section 8a)
  REFERRAL_REQUIRED: {
    status: 409,
    message:
      'К этому специалисту записывают только по направлению. Его выдаёт лечащий врач или участковый терапевт (педиатр).',
  },
  REFERRAL_NOT_VALID: {
    status: 409,
    message:
      'Направление к этому специалисту не действует на дату визита или выдано в другую медицинскую организацию. Выберите другую дату или получите новое направление.',
  },
  REFERRAL_USED: {
    status: 409,
    message: 'По этому направлению уже есть запись. Направление действует на одну запись.',
  },
  REFERRAL_NOT_FOUND: { status: 404, message: 'Направление не найдено.' },
  SCHEDULE_EXCEPTION_EXISTS: {
    status: 409,
    message: 'На эту дату исключение уже есть. Удалите его, чтобы задать другое.',
  },
  SCHEDULE_EXCEPTION_NOT_FOUND: { status: 404, message: 'Исключение в расписании не найдено.' },
  // kiosk (infomat, SPEC section 8)
  KIOSK_NOT_ENROLLED: {
    status: 401,
    message: 'Это устройство не работает как инфомат. Режим инфомата включает сотрудник регистратуры.',
  },
  KIOSK_DEVICE_NOT_FOUND: { status: 404, message: 'Инфомат не найден.' },
  KIOSK_ORGANISATION_REQUIRED: {
    status: 400,
    message: 'Выберите медицинскую организацию, для которой включается инфомат.',
  },
  KIOSK_PATIENT_NOT_FOUND: {
    status: 404,
    message:
      'Не нашли пациента с такими данными. Проверьте номер полиса и дату рождения или обратитесь в регистратуру.',
  },
  KIOSK_PATIENT_EXPIRED: {
    status: 401,
    message: 'Время работы с вашими записями истекло. Введите номер полиса и дату рождения ещё раз.',
  },
  KIOSK_TOO_MANY_ATTEMPTS: {
    status: 429,
    message: 'Слишком много попыток. Попробуйте через несколько минут или обратитесь в регистратуру.',
  },
  // integration API: clinics' information systems and electronic queues (SPEC section 8)
  API_KEY_MISSING: {
    status: 401,
    message: 'Нужен ключ доступа к API: передайте его в заголовке Authorization: Bearer <ключ> или X-Api-Key.',
  },
  API_KEY_INVALID: {
    status: 401,
    message: 'Ключ доступа к API не подходит. Проверьте ключ или попросите оператора портала выпустить новый.',
  },
  API_KEY_REVOKED: {
    status: 401,
    message: 'Ключ доступа к API отозван оператором портала. Попросите выпустить новый ключ.',
  },
  API_KEY_NOT_FOUND: { status: 404, message: 'Ключ доступа не найден.' },
  API_KEY_ALREADY_REVOKED: { status: 409, message: 'Этот ключ уже отозван.' },
  ORGANISATION_NOT_FOUND: { status: 404, message: 'Медицинская организация не найдена.' },
  SOURCE_REQUIRED: {
    status: 400,
    message: 'Укажите источник записи (source): ключ информационной системы МО передаёт записи разных каналов.',
  },
  PATIENT_IDENTITY_MISMATCH: {
    status: 409,
    message:
      'Данные пациента расходятся с данными, уже известными порталу по этому СНИЛС или полису. Сверьте ФИО, дату рождения, пол, СНИЛС и полис.',
  },
  // Schedules pushed by a clinic's information system (issue 17, «Schedules in»).
  API_CHANNEL_NOT_ALLOWED: {
    status: 403,
    message:
      'Врачей и расписание передаёт только информационная система МО: нужен ключ канала mis. Попросите оператора портала выпустить такой ключ.',
  },
  SPECIALTY_CODE_UNMAPPED: {
    status: 422,
    message:
      'Код специальности не сопоставлен со специальностью портала. Сначала сопоставьте его: PUT /api/integration/v1/specialty-codes/{код}.',
  },
  /** details.conflicts names each booked or held time (its visit's id and reference, never the patient). */
  SLOTS_PUSH_CONFLICT: {
    status: 409,
    message:
      'Список убирает или меняет время, на которое уже записаны пациенты или которое им предложено. Ничего не изменено: перенесите или отмените эти записи либо оставьте это время в списке.',
  },
  SLOT_ALREADY_STARTED: {
    status: 409,
    message: 'Слот уже начался: прошедшее время не меняется. Передайте его с прежним временем или уберите из списка.',
  },
  DOCTOR_HAS_TEMPLATE: {
    status: 409,
    message:
      'Время этого врача строится по шаблону расписания. Чтобы передавать слоты списком, сначала удалите шаблон (сохраните его без правил).',
  },
  // FHIR R4 writes (issue 17): optimistic concurrency on Appointment status updates.
  FHIR_IF_MATCH_REQUIRED: {
    status: 428,
    message:
      'Укажите версию записи в заголовке If-Match: W/"<versionId>" — из meta.versionId или заголовка ETag последнего ответа.',
  },
  FHIR_VERSION_CONFLICT: {
    status: 412,
    message: 'Запись изменилась после того, как вы её прочитали. Прочитайте её заново и повторите изменение.',
  },
  FHIR_CHANGE_NOT_SUPPORTED: {
    status: 422,
    message:
      'У записи можно изменить только статус: cancelled (с причиной отмены), noshow, fulfilled или arrived. Время, врача и пациента изменить нельзя.',
  },
  // FHIR R4 search and HTTP (issue 17): fhir.search.ts, fhir.routes.ts.
  SEARCH_PARAMETER_UNSUPPORTED: {
    status: 400,
    message: 'Этот параметр поиска не поддерживается (запрос с Prefer: handling=strict).',
  },
  CURSOR_INVALID: {
    status: 400,
    message: 'Неверный курсор: перейдите по ссылке next из предыдущего ответа, не меняя остальных параметров поиска.',
  },
  METHOD_NOT_ALLOWED: { status: 405, message: 'Этот метод HTTP для этого адреса не поддерживается.' },
  NOT_ACCEPTABLE: {
    status: 406,
    message: 'Поддерживается только формат application/fhir+json (JSON); XML не поддерживается.',
  },
  // The integration API's webhooks (issue 17, «Changes out»).
  WEBHOOK_URL_NOT_ALLOWED: {
    status: 400,
    message: 'Этот адрес нельзя использовать для событий: нужен адрес https://, доступный из интернета.',
  },
  WEBHOOK_LIMIT_REACHED: {
    status: 409,
    message: 'У ключа уже 10 подписок на события. Удалите ненужную подписку и добавьте новую.',
  },
  WEBHOOK_NOT_FOUND: { status: 404, message: 'Подписка на события не найдена.' },
  WEBHOOK_DELIVERY_NOT_FOUND: { status: 404, message: 'Доставка события не найдена.' },
  WEBHOOK_EVENT_NOT_FOUND: {
    status: 404,
    message: 'Событие с таким идентификатором этой подписке не доставлялось.',
  },
  // The catalogue's management by the operator and the clinic administrator (issue 16).
  SPECIALTY_NOT_FOUND: { status: 404, message: 'Специальность не найдена.' },
  UNKNOWN_SPECIALTY: { status: 400, message: 'Специальность: выберите специальность из списка.' },
  SPECIALTY_EXISTS: {
    status: 409,
    message: 'Специальность с таким названием уже есть. Откройте её и измените, если нужно.',
  },
  /** Sent with a message naming how many visits (catalogue/manage.rules.ts). */
  DOCTOR_HAS_FUTURE_VISITS: {
    status: 409,
    message: 'У врача есть будущие записи пациентов. Перенесите или отмените их, затем сделайте врача неактивным.',
  },
  /** Sent with a message naming how many times are held (catalogue/manage.rules.ts). */
  DOCTOR_HAS_HELD_TIMES: {
    status: 409,
    message:
      'Время врача сейчас предложено пациентам из очереди. Дождитесь ответа или закройте приём врача, затем сделайте врача неактивным.',
  },
  // A doctor's absence (closing a doctor's days) and the moves it offers.
  ABSENCE_NOT_FOUND: { status: 404, message: 'Закрытие приёма не найдено.' },
  ABSENCE_OVERLAPS: {
    status: 409,
    message: 'Эти дни врача уже закрыты (полностью или частично). Откройте список закрытий и проверьте даты.',
  },
  ABSENCE_IN_PAST: { status: 400, message: 'Нельзя закрыть дни, которые уже прошли.' },
  ABSENCE_TOO_LONG: { status: 400, message: 'Закрыть приём можно не больше чем на год за один раз.' },
  VISIT_NOT_AFFECTED: { status: 404, message: 'Эта запись не относится к закрытым дням врача.' },
  VISIT_ALREADY_DECIDED: { status: 409, message: 'По этой записи уже принято другое решение.' },
  MOVE_SAME_DOCTOR: { status: 409, message: 'Выберите время другого врача: этот врач не принимает.' },
  MOVE_OTHER_SPECIALTY: {
    status: 409,
    message: 'Перенести запись можно только к работающему врачу той же специальности в этой медицинской организации.',
  },
  MOVE_TOO_LATE: {
    status: 409,
    message:
      'До этого времени пациент не успеет ответить на предложение. Выберите более позднее время или позвоните пациенту.',
  },
  MOVE_NOT_FOUND: { status: 404, message: 'Предложение о переносе не найдено.' },
  MOVE_EXPIRED: {
    status: 409,
    message: 'Срок ответа на предложение о переносе истёк: запись отменена по решению медицинской организации.',
  },
  MOVE_ANSWERED: { status: 409, message: 'На это предложение о переносе уже дан ответ.' },
  SLOT_IN_ABSENCE: {
    status: 409,
    message: 'В эти дни приём врача закрыт. Чтобы открыть время, откройте приём на странице «Закрыть приём врача».',
  },
  RATE_LIMITED: { status: 429, message: 'Слишком много попыток. Подождите минуту и попробуйте снова.' },
  /** The shared counters (Redis) cannot be reached: sign-in and guessing-guarded checks are refused meanwhile. */
  LIMITS_UNAVAILABLE: {
    status: 503,
    message: 'Вход временно недоступен: не удаётся проверить число попыток. Повторите через минуту.',
  },
  // Own data (152-ФЗ, issue 19): removing a person, deleting the account.
  PERSON_HAS_FUTURE_VISITS: {
    status: 409,
    message:
      'У этого человека есть предстоящие визиты. Сначала отмените их, затем удалите человека из картотеки. Прошедшие визиты останутся в медицинской организации.',
  },
  MAIN_PERSON_NOT_REMOVABLE: {
    status: 409,
    message: 'Свои данные нельзя удалить отдельно от учётной записи. Чтобы удалить их, удалите учётную запись.',
  },
  ACCOUNT_HAS_FUTURE_VISITS: {
    status: 409,
    message:
      'В вашей картотеке есть предстоящие визиты. Сначала отмените их, затем удалите учётную запись. Визит, который уже нельзя отменить на портале, отмените по телефону регистратуры.',
  },
  PASSWORD_WRONG: { status: 403, message: 'Неверный пароль.' },
  REAUTH_REQUIRED: {
    status: 403,
    message: 'Чтобы удалить учётную запись, войдите через Госуслуги ещё раз: подтвердите, что это вы.',
  },
  INTERNAL: { status: 500, message: 'Что-то пошло не так. Попробуйте ещё раз немного позже.' },
  SHUTTING_DOWN: { status: 503, message: 'Сервер перезапускается. Повторите действие через несколько секунд.' },
  /** /readyz only: the database lacks migrations this code needs (another instance is migrating it). */
  MIGRATIONS_PENDING: { status: 503, message: 'Сервер обновляется. Повторите действие через несколько секунд.' },
  DATABASE_UNAVAILABLE: {
    status: 503,
    message:
      'Портал временно не может обработать запрос: нет связи с базой данных. Повторите действие через несколько секунд.',
  },
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
