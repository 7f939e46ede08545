// Texts of the identity module's e-mails and the moderation result event. Pure: the
// caller enqueues them (sign-up and password e-mails) or records them with notify().
// Subjects never name the person (medical secrecy); bodies carry no personal data
// beyond what the recipient entered themselves.
import { forThem, type Sex } from '../../../shared/agreement.js';
import { composeEmail, type NotifyEvent } from '../notify/notify.rules.js';

export interface EmailContent {
  subject: string;
  text: string;
  html: string;
}

const IGNORE_IF_NOT_YOU = 'Если вы не запрашивали это письмо, просто проигнорируйте его.';

export function signupConfirmEmail(publicUrl: string, token: string): EmailContent {
  const url = `${publicUrl}/confirm-email?token=${encodeURIComponent(token)}`;
  return {
    subject: 'Подтверждение адреса электронной почты',
    ...composeEmail({
      paragraphs: [
        'Здравствуйте!',
        'Вы зарегистрировались на Региональном портале медицинских услуг. Чтобы завершить регистрацию, подтвердите адрес электронной почты — нажмите кнопку ниже. Ссылка действует 24 часа.',
        'После подтверждения заполните свои персональные данные: их проверит модератор, и вы сможете записываться к врачу.',
        IGNORE_IF_NOT_YOU,
      ],
      action: { label: 'Подтвердить адрес', url },
    }),
  };
}

export function signupExistingEmail(publicUrl: string): EmailContent {
  return {
    subject: 'Повторная регистрация на портале',
    ...composeEmail({
      paragraphs: [
        'Здравствуйте!',
        'Кто-то — возможно, вы — попытался зарегистрироваться на Региональном портале медицинских услуг с этим адресом электронной почты. У вас уже есть учётная запись с этим адресом, новая не создана.',
        'Если вы не помните пароль, восстановите его: нажмите кнопку ниже и укажите этот адрес — мы пришлём ссылку для создания нового пароля.',
        'Если вы не регистрировались, ничего делать не нужно: ваша учётная запись в безопасности.',
      ],
      action: { label: 'Восстановить пароль', url: `${publicUrl}/forgot-password` },
    }),
  };
}

export function passwordResetEmail(publicUrl: string, token: string): EmailContent {
  const url = `${publicUrl}/reset-password?token=${encodeURIComponent(token)}`;
  return {
    subject: 'Восстановление пароля',
    ...composeEmail({
      paragraphs: [
        'Здравствуйте!',
        'Мы получили запрос на восстановление пароля на Региональном портале медицинских услуг. Чтобы задать новый пароль, нажмите кнопку ниже. Ссылка действует 1 час и работает один раз.',
        'После смены пароля вход будет завершён на всех устройствах.',
        IGNORE_IF_NOT_YOU + ' Ваш пароль останется прежним.',
      ],
      action: { label: 'Задать новый пароль', url },
    }),
  };
}

export const MODERATION_RESULT_SUBJECT = 'Результат проверки данных';

export type ModerationOutcome = { status: 'confirmed' } | { status: 'rejected'; reason: string };

/** Whose data the moderator decided on: the name as the card file shows it, and the sex the words agree with. */
export interface ModeratedPerson {
  name: string;
  sex: Sex;
}

/**
 * The moderation result, announced to the account with notify(): the in-portal entry and the
 * e-mail name the person whose data was decided on (the account entered that name itself; a
 * card file may hold several people), the words agreeing with their sex. The subject, title
 * and lock-screen text never name anyone, and the moderator's reason stays off the lock screen.
 */
export function moderationResultEvent(
  accountId: string,
  dedupKey: string,
  decision: ModerationOutcome,
  person: ModeratedPerson,
): NotifyEvent {
  const base = { accountId, kind: 'moderation_result', dedupKey, title: MODERATION_RESULT_SUBJECT, link: '/cardfile' };
  const available = `Теперь ${forThem(person.sex)} доступна запись на приём к врачу.`;
  if (decision.status === 'confirmed') {
    return {
      ...base,
      body: `Модератор подтвердил данные: ${person.name}. ${available}`,
      push: {
        title: MODERATION_RESULT_SUBJECT,
        body: 'Модератор подтвердил данные человека из вашей картотеки. Подробности — в картотеке на портале.',
      },
      email: {
        subject: MODERATION_RESULT_SUBJECT,
        paragraphs: [
          'Здравствуйте!',
          `Модератор проверил и подтвердил данные человека из вашей картотеки: ${person.name}. ${available}`,
        ],
        actionLabel: 'Открыть картотеку',
      },
    };
  }
  return {
    ...base,
    body: `Модератор отклонил данные: ${person.name}. Причина: ${decision.reason}`,
    push: {
      title: MODERATION_RESULT_SUBJECT,
      body: 'Модератор отклонил данные человека из вашей картотеки. Причина и что исправить — в картотеке на портале.',
    },
    email: {
      subject: MODERATION_RESULT_SUBJECT,
      paragraphs: [
        'Здравствуйте!',
        `Модератор проверил данные человека из вашей картотеки и отклонил их: ${person.name}.`,
        `Причина: ${decision.reason}`,
        `Исправьте данные в картотеке и отправьте их на проверку снова. До подтверждения запись на приём ${forThem(person.sex)} недоступна.`,
      ],
      actionLabel: 'Исправить данные в картотеке',
    },
  };
}
