// «Добавить человека»: another person (a child, a parent) in the card file.
import { Link, useNavigate } from 'react-router';
import type { PersonInput } from '../../../shared/api/index.js';
import { api } from '../../api.js';
import { useSession } from '../../session.js';
import { Page } from '../../ui/Page.js';
import { MODERATION_FLASH } from './flash.js';
import { PersonForm } from './PersonForm.js';

export function AddPersonPage() {
  const { account } = useSession();
  const navigate = useNavigate();
  if (account && account.mainPersonStatus === null) {
    return (
      <Page title="Сначала заполните свои данные" back={{ to: '/cardfile', label: 'Моя картотека' }}>
        <p>
          Добавлять других людей можно после того, как вы заполните <Link to="/profile">свои личные данные</Link>.
        </p>
      </Page>
    );
  }
  const submit = async (input: PersonInput) => {
    await api.post('/api/persons', input);
    void navigate('/cardfile', { state: MODERATION_FLASH });
  };
  return (
    <Page title="Добавить человека в картотеку" back={{ to: '/cardfile', label: 'Моя картотека' }}>
      <p>
        Добавьте человека, которого вы будете записывать к врачу: ребёнка, родителя. Модератор проверит данные, после
        этого станет доступна запись.
      </p>
      <PersonForm submitLabel="Отправить на проверку" onSubmit={submit} />
    </Page>
  );
}
