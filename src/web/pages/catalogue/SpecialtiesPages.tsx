// The operator's specialties: the list (/operator/specialties), adding one
// (/operator/specialties/new) and changing one (/operator/specialties/:id) — name, age and
// sex limits, and whether patients book it themselves or only with a referral.
import { useState, type FormEvent } from 'react';
import { Link, useNavigate, useParams } from 'react-router';
import type { SpecialtyBody, SpecialtyFull } from '../../../shared/api/catalogue-admin.js';
import { api } from '../../api.js';
import { ErrorSummary } from '../../ui/ErrorSummary.js';
import { Field } from '../../ui/Field.js';
import { Notice } from '../../ui/Notice.js';
import { Page } from '../../ui/Page.js';
import { RadioChoice } from '../../ui/RadioChoice.js';
import { LoadProblem, Loading } from '../../ui/staff/Access.js';
import { useApiData } from '../../ui/staff/useApiData.js';
import { useFlash, type FlashState } from '../patient/flash.js';
import {
  emptySpecialtyForm,
  parseSpecialtyForm,
  selfBookingText,
  specialtyFormFrom,
  specialtyLimits,
  type SpecialtyForm,
} from './catalogue.forms.js';
import { useSave } from './useSave.js';

const LIST = { to: '/operator/specialties', label: 'К списку специальностей' };

export function SpecialtiesPage() {
  const title = 'Специальности';
  const { data, error, reload } = useApiData<{ specialties: SpecialtyFull[] }>('/api/operator/specialties');
  const flash = useFlash();
  if (error) return <LoadProblem title={title} error={error} role="operator" onRetry={() => void reload()} />;
  return (
    <Page title={title}>
      {flash && <Notice kind="success" title={flash.title} />}
      <p className="lead">
        Специальности врачей во всём регионе. Ограничения по возрасту и полу проверяются при записи.
      </p>
      <p>
        <Link className="button" to="/operator/specialties/new">
          Добавить специальность
        </Link>
      </p>
      {!data ? (
        <Loading />
      ) : (
        <ul className="list-plain staff-queue">
          {data.specialties.map((s) => (
            <li key={s.id} className="card staff-queue-item">
              <h2 className="staff-queue-name">
                <Link to={`/operator/specialties/${s.id}`}>{s.name}</Link>
              </h2>
              <dl className="staff-facts">
                <div>
                  <dt>Ограничения</dt>
                  <dd>{specialtyLimits(s) ?? 'нет'}</dd>
                </div>
                <div>
                  <dt>Запись</dt>
                  <dd>{selfBookingText(s.selfBooking)}</dd>
                </div>
                <div>
                  <dt>Работающих врачей</dt>
                  <dd>{s.doctorCount}</dd>
                </div>
              </dl>
            </li>
          ))}
        </ul>
      )}
    </Page>
  );
}

export function SpecialtyNewPage() {
  return (
    <Page title="Добавить специальность" back={LIST}>
      <SpecialtyFormBody initial={emptySpecialtyForm} specialtyId={null} />
    </Page>
  );
}

export function SpecialtyEditPage() {
  const { specialtyId } = useParams();
  const { data, error } = useApiData<{ specialties: SpecialtyFull[] }>('/api/operator/specialties');
  const title = 'Изменить специальность';
  if (error) return <LoadProblem title={title} error={error} role="operator" back={LIST} />;
  const specialty = data?.specialties.find((s) => String(s.id) === specialtyId);
  return (
    <Page title={title} back={LIST}>
      {!data ? (
        <Loading />
      ) : !specialty ? (
        <ErrorSummary message="Специальность не найдена." />
      ) : (
        <SpecialtyFormBody initial={specialtyFormFrom(specialty)} specialtyId={specialty.id} />
      )}
    </Page>
  );
}

const ids: Record<keyof SpecialtyForm, string> = {
  name: 'specialty-name',
  minAge: 'specialty-minAge',
  maxAge: 'specialty-maxAge',
  sex: 'specialty-sex',
  selfBooking: 'specialty-selfBooking',
};

function SpecialtyFormBody({ initial, specialtyId }: { initial: SpecialtyForm; specialtyId: number | null }) {
  const [form, setForm] = useState<SpecialtyForm>(initial);
  const save = useSave();
  const navigate = useNavigate();
  const fields = save.errors.fields;

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const parsed = parseSpecialtyForm(form);
    if (!parsed.ok) return save.refuse(parsed.fields);
    const body: SpecialtyBody = parsed.value;
    const ok = await save.run(async () => {
      if (specialtyId === null) await api.post('/api/operator/specialties', body);
      else await api.put(`/api/operator/specialties/${specialtyId}`, body);
    });
    if (!ok) return;
    const state: FlashState = {
      flash: { title: `Специальность «${body.name}» ${specialtyId === null ? 'добавлена' : 'сохранена'}` },
    };
    void navigate('/operator/specialties', { state });
  };

  return (
    <form className="form staff-narrow" onSubmit={(e) => void submit(e)} noValidate>
      <ErrorSummary key={save.errors.attempt} message={save.errors.message} fields={fields} labels={ids} />
      <Field
        name={ids.name}
        label="Название"
        hint="Как её видят пациенты, например: педиатр"
        value={form.name}
        onChange={(v) => setForm((f) => ({ ...f, name: v }))}
        error={fields.name}
        isRequired
        maxLength={100}
        autoComplete="off"
      />
      <Field
        name={ids.minAge}
        label="Возраст от, полных лет"
        hint="Включительно. Пусто — без ограничения."
        inputMode="numeric"
        value={form.minAge}
        onChange={(v) => setForm((f) => ({ ...f, minAge: v }))}
        error={fields.minAge}
        width="short"
        maxLength={3}
      />
      <Field
        name={ids.maxAge}
        label="Возраст до, полных лет"
        hint="Не включая: 18 — значит «до 18 лет». Пусто — без ограничения."
        inputMode="numeric"
        value={form.maxAge}
        onChange={(v) => setForm((f) => ({ ...f, maxAge: v }))}
        error={fields.maxAge}
        width="short"
        maxLength={3}
      />
      <RadioChoice
        id={ids.sex}
        label="Пол пациентов"
        error={fields.sex}
        value={form.sex === '' ? 'any' : form.sex}
        onChange={(v) => setForm((f) => ({ ...f, sex: v === 'M' || v === 'F' ? v : '' }))}
        options={[
          { value: 'any', label: 'Любой' },
          { value: 'F', label: 'Только женщины' },
          { value: 'M', label: 'Только мужчины' },
        ]}
      />
      <RadioChoice
        id={ids.selfBooking}
        label="Как записываются пациенты"
        error={fields.selfBooking}
        value={form.selfBooking ? 'self' : 'referral'}
        onChange={(v) => setForm((f) => ({ ...f, selfBooking: v === 'self' }))}
        options={[
          { value: 'self', label: 'Сами, через портал, инфомат или регистратуру' },
          { value: 'referral', label: 'Только по направлению врача' },
        ]}
      />
      <div className="button-row">
        <button type="submit" className="button" disabled={save.busy}>
          {specialtyId === null ? 'Добавить специальность' : 'Сохранить'}
        </button>
      </div>
    </form>
  );
}
