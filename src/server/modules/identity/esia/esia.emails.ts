// The e-mail that tells an account holder Госуслуги was linked to the account (a security
// notice: sent whatever the notification settings). No personal data in it.
import { composeEmail } from '../../notify/notify.service.js';
import type { EmailContent } from '../identity.emails.js';

export function esiaLinkedEmail(publicUrl: string): EmailContent {
  return {
    subject: 'К личному кабинету привязаны Госуслуги',
    ...composeEmail({
      paragraphs: [
        'Здравствуйте!',
        'К вашему личному кабинету на Региональном портале медицинских услуг привязана подтверждённая учётная запись Госуслуг с теми же СНИЛС и датой рождения, что у главного пользователя вашей картотеки.',
        'Теперь вы можете входить через Госуслуги. При таком входе в картотеке видны ваши записи к врачу из всех источников: через портал, регистратуру, инфомат, электронную очередь и от врача. Вход по адресу электронной почты и паролю тоже работает.',
        'Если вы не входили через Госуслуги, смените пароль и обратитесь в службу поддержки портала.',
      ],
      action: { label: 'Открыть настройки', url: `${publicUrl}/settings` },
    }),
  };
}
