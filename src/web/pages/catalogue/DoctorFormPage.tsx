// Adding a doctor (/clinic/doctors/new) or changing one (/clinic/doctors/:doctorId/edit):
// ФИО, specialty, position, room. Saving returns to the doctor's page.
import { useState, type FormEvent } from 'react';
import { useNavigate, useParams } from 'react-router';
import type { ClinicDoctor, SpecialtyChoice } from '../../../shared/api/catalogue-admin.js';
import { api } from '../../api.js';
import { ErrorSummary } from '../../ui/ErrorSummary.js';
import { Field } from '../../ui/Field.js';
import { Page } from '../../ui/Page.js';
import { LoadProblem, Loading } from '../../ui/staff/Access.js';
import { useApiData } from '../../ui/staff/useApiData.js';
import type { FlashState } from '../patient/flash.js';
import { doctorFormFrom, emptyDoctorForm, parseDoctorForm, type DoctorForm } from './catalogue.forms.js';
import { SelectField } from './SelectField.js';
import { useSave } from './useSave.js';

const ids: Record<keyof DoctorForm, string> = {
  lastName: 'doctor-lastName',
  firstName: 'doctor-firstName',
  middleName: 'doctor-middleName',
  specialtyId: 'doctor-specialtyId',
  position: 'doctor-position',
  room: 'doctor-room',
};

export function DoctorNewPage() {
  const specialties = useApiData<{ specialties: SpecialtyChoice[] }>('/api/clinic/specialties');
  const title = 'Добавить врача';
  if (specialties.error)
    return (
      <LoadProblem
        title={title}
        error={specialties.error}
        role="clinic_admin"
        onRetry={() => void specialties.reload()}
      />
    );
  return (
    <Page title={title} back={{ to: '/clinic', label: 'К списку врачей' }}>
      {!specialties.data ? (
        <Loading />
      ) : (
        <DoctorFormBody specialties={specialties.data.specialties} initial={emptyDoctorForm} doctorId={null} />
      )}
    </Page>
  );
}

export function DoctorEditPage() {
  const { doctorId } = useParams();
  const doctor = useApiData<ClinicDoctor>(`/api/clinic/doctors/${doctorId}`);
  const specialties = useApiData<{ specialties: SpecialtyChoice[] }>('/api/clinic/specialties');
  const title = 'Изменить данные врача';
  const error = doctor.error ?? specialties.error;
  const back = { to: `/clinic/doctors/${doctorId}`, label: 'К странице врача' };
  if (error) return <LoadProblem title={title} error={error} role="clinic_admin" back={back} />;
  return (
    <Page title={title} back={back}>
      {!doctor.data || !specialties.data ? (
        <Loading />
      ) : (
        <DoctorFormBody
          specialties={specialties.data.specialties}
          initial={doctorFormFrom(doctor.data)}
          doctorId={doctor.data.id}
        />
      )}
    </Page>
  );
}

function DoctorFormBody({
  specialties,
  initial,
  doctorId,
}: {
  specialties: SpecialtyChoice[];
  initial: DoctorForm;
  doctorId: number | null;
}) {
  const [form, setForm] = useState<DoctorForm>(initial);
  const save = useSave();
  const navigate = useNavigate();
  const set = (key: keyof DoctorForm) => (v: string) => setForm((f) => ({ ...f, [key]: v }));
  const fields = save.errors.fields;

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const parsed = parseDoctorForm(form);
    if (!parsed.ok) return save.refuse(parsed.fields);
    let id = doctorId;
    const ok = await save.run(async () => {
      if (doctorId === null) id = (await api.post<{ id: number }>('/api/clinic/doctors', parsed.value)).id;
      else await api.put(`/api/clinic/doctors/${doctorId}`, parsed.value);
    });
    if (!ok || id === null) return;
    const state: FlashState = { flash: { title: doctorId === null ? 'Врач добавлен' : 'Данные врача сохранены' } };
    void navigate(`/clinic/doctors/${id}`, { state });
  };

  return (
    <form className="form staff-narrow" onSubmit={(e) => void submit(e)} noValidate>
      <ErrorSummary key={save.errors.attempt} message={save.errors.message} fields={fields} labels={ids} />
      <Field
        name={ids.lastName}
        label="Фамилия"
        value={form.lastName}
        onChange={set('lastName')}
        error={fields.lastName}
        isRequired
        maxLength={100}
        autoComplete="off"
      />
      <Field
        name={ids.firstName}
        label="Имя"
        value={form.firstName}
        onChange={set('firstName')}
        error={fields.firstName}
        isRequired
        maxLength={100}
        autoComplete="off"
      />
      <Field
        name={ids.middleName}
        label="Отчество"
        value={form.middleName}
        onChange={set('middleName')}
        error={fields.middleName}
        maxLength={100}
        autoComplete="off"
      />
      <SelectField
        id={ids.specialtyId}
        label="Специальность"
        value={form.specialtyId}
        onChange={set('specialtyId')}
        error={fields.specialtyId}
        options={specialties.map((s) => ({
          value: String(s.id),
          label: s.selfBooking ? s.name : `${s.name} (по направлению)`,
        }))}
        placeholder="Выберите специальность"
      />
      <Field
        name={ids.position}
        label="Должность"
        hint="Например: врач-терапевт участковый"
        value={form.position}
        onChange={set('position')}
        error={fields.position}
        maxLength={120}
        autoComplete="off"
      />
      <Field
        name={ids.room}
        label="Кабинет"
        hint="Номер или название, как на двери: 214, 3а"
        value={form.room}
        onChange={set('room')}
        error={fields.room}
        isRequired
        maxLength={20}
        width="short"
        autoComplete="off"
      />
      <div className="button-row">
        <button type="submit" className="button" disabled={save.busy}>
          {doctorId === null ? 'Добавить врача' : 'Сохранить'}
        </button>
      </div>
    </form>
  );
}
