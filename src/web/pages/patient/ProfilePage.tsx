// «Личные данные»: the account holder's personal data, sent to moderation.
import { Link, useNavigate } from 'react-router';
import type { PersonInput } from '../../../shared/api/index.js';
import { api } from '../../api.js';
import { useSession } from '../../session.js';
import { Page } from '../../ui/Page.js';
import { OwnDataLinks } from '../owndata/OwnDataLinks.js';
import { MODERATION_FLASH } from './flash.js';
import { PersonForm } from './PersonForm.js';

export function ProfilePage() {
  const { account, refresh } = useSession();
  const navigate = useNavigate();
  if (account && account.mainPersonStatus !== null) {
    return (
      <Page title="Ваши личные данные уже заполнены" back={{ to: '/cardfile', label: 'Моя картотека' }}>
        <p>
          Посмотреть их и статус проверки можно в <Link to="/cardfile">«Моей картотеке»</Link>. Данные, которые ещё не
          подтверждены, там же можно исправить.
        </p>
        <OwnDataLinks />
      </Page>
    );
  }
  const submit = async (input: PersonInput) => {
    await api.post('/api/persons', input);
    await refresh();
    void navigate('/cardfile', { state: MODERATION_FLASH });
  };
  return (
    <Page title="Ваши личные данные">
      <p>
        Заполните данные о себе — вы станете главным пользователем картотеки. Модератор проверит их, после этого станет
        доступна запись к врачу.
      </p>
      <PersonForm submitLabel="Отправить на проверку" onSubmit={submit} />
      <OwnDataLinks />
    </Page>
  );
}
