// «Исправить данные»: correct a person's data while it is pending or rejected, and resubmit.
import { Link, useNavigate, useParams } from 'react-router';
import type { Person, PersonInput } from '../../../shared/api/index.js';
import { api } from '../../api.js';
import { useSession } from '../../session.js';
import { Notice } from '../../ui/Notice.js';
import { Page } from '../../ui/Page.js';
import { MODERATION_FLASH } from './flash.js';
import { personName } from './labels.js';
import { PersonForm } from './PersonForm.js';
import { LoadState, useApiData } from './useApiData.js';

export function EditPersonPage() {
  const { personId = '' } = useParams();
  const { refresh } = useSession();
  const navigate = useNavigate();
  const state = useApiData<Person>(`/api/persons/${encodeURIComponent(personId)}`);
  const back = { to: '/cardfile', label: 'Моя картотека' };
  const p = state.data;
  if (!p) {
    return (
      <Page title="Исправить данные" back={back}>
        <LoadState state={state} />
      </Page>
    );
  }
  if (p.status === 'confirmed') {
    return (
      <Page title="Данные подтверждены" back={back}>
        <p>
          Данные человека «{personName(p)}» подтверждены модератором, изменить их через портал нельзя. Если в них
          ошибка, обратитесь в регистратуру поликлиники.
        </p>
        <p>
          <Link to="/cardfile">Вернуться в картотеку</Link>
        </p>
      </Page>
    );
  }
  const submit = async (input: PersonInput) => {
    await api.put(`/api/persons/${encodeURIComponent(p.id)}`, input);
    if (p.isMain) await refresh();
    void navigate('/cardfile', { state: MODERATION_FLASH });
  };
  return (
    <Page title="Исправить данные" back={back}>
      {p.status === 'rejected' && p.rejectReason && (
        <Notice kind="warning" title="Данные отклонены модератором">
          <p>Причина: {p.rejectReason}</p>
        </Notice>
      )}
      {p.status === 'pending' && <p>Данные ещё на проверке. После исправления они снова отправятся модератору.</p>}
      <PersonForm key={p.id} initial={p} submitLabel="Отправить на проверку" onSubmit={submit} />
    </Page>
  );
}
