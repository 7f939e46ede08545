// «Удалить из картотеки»: one of the account's people other than the holder. Refused while they
// have a visit booked ahead (the message says to cancel it first); past visits stay with the
// medical organisation without the person's data; waitlist entries are withdrawn.
import { useState } from 'react';
import { Link, useNavigate, useParams } from 'react-router';
import type { Person } from '../../../shared/api/index.js';
import { api } from '../../api.js';
import { Button } from '../../ui/Button.js';
import { ErrorSummary } from '../../ui/ErrorSummary.js';
import { Page } from '../../ui/Page.js';
import { errorsFromApi, noErrors, type FormErrors } from '../patient/formErrors.js';
import { personName } from '../patient/labels.js';
import { LoadState, useApiData } from '../patient/useApiData.js';

export function RemovePersonPage() {
  const { personId = '' } = useParams();
  const navigate = useNavigate();
  const state = useApiData<Person>(`/api/persons/${encodeURIComponent(personId)}`);
  const [errors, setErrors] = useState<FormErrors>(noErrors);
  const [busy, setBusy] = useState(false);
  const back = { to: '/cardfile', label: 'Моя картотека' };
  const p = state.data;
  if (!p) {
    return (
      <Page title="Удалить из картотеки" back={back}>
        <LoadState state={state} />
      </Page>
    );
  }
  const name = personName(p);
  if (p.isMain) {
    return (
      <Page title="Удалить из картотеки" back={back}>
        <p>
          Свои данные нельзя удалить отдельно от учётной записи. Чтобы удалить их,{' '}
          <Link to="/profile/delete">удалите учётную запись</Link>.
        </p>
      </Page>
    );
  }
  const remove = async () => {
    setBusy(true);
    try {
      await api.post(`/api/persons/${encodeURIComponent(p.id)}/remove`);
      void navigate('/cardfile', {
        state: {
          flash: {
            title: 'Человек удалён из картотеки',
            text: 'Прошедшие визиты остались в медицинской организации без его персональных данных.',
          },
        },
      });
    } catch (err) {
      setErrors(errorsFromApi(err, errors));
    } finally {
      setBusy(false);
    }
  };
  return (
    <Page title="Удалить из картотеки" back={back}>
      <ErrorSummary key={errors.attempt} message={errors.message} fields={errors.fields} />
      <p>
        Удалить из картотеки: <strong>{name}</strong>?
      </p>
      <ul>
        <li>данные человека (ФИО, дата рождения, СНИЛС, полис, телефон) будут удалены с портала;</li>
        <li>записи в очередь ожидания будут отозваны;</li>
        <li>прошедшие визиты останутся в медицинской организации как медицинские документы.</li>
      </ul>
      <p>Если у человека есть предстоящие визиты, сначала отмените их.</p>
      <div className="button-row">
        <Button variant="warning" isPending={busy} onPress={() => void remove()}>
          Удалить из картотеки
        </Button>
        <Link to="/cardfile">Отмена</Link>
      </div>
    </Page>
  );
}
