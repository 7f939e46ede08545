// The form of an organisation's details (name, short name, address, registry phone, time
// zone, waitlist): the operator adds and edits organisations with it, the clinic
// administrator edits its own. The time zones offered are Russia's.
import { useState, type FormEvent } from 'react';
import { RUSSIAN_TIME_ZONES, type OrganisationDetails } from '../../../shared/api/catalogue-admin.js';
import { ErrorSummary } from '../../ui/ErrorSummary.js';
import { Field } from '../../ui/Field.js';
import { CheckboxField } from '../../ui/staff/CheckboxField.js';
import {
  organisationFieldLabels as labels,
  parseOrganisationDetails,
  type OrganisationForm,
} from './catalogue.forms.js';
import { SelectField } from './SelectField.js';
import { useSave } from './useSave.js';

const ids: Record<keyof OrganisationDetails, string> = {
  name: 'org-name',
  shortName: 'org-shortName',
  address: 'org-address',
  phone: 'org-phone',
  timeZone: 'org-timeZone',
  waitlistAllowed: 'org-waitlistAllowed',
};

const zoneOptions = RUSSIAN_TIME_ZONES.map((z) => ({ value: z.zone, label: `${z.label} — ${z.zone}` }));

export function OrganisationDetailsForm({
  initial,
  submitLabel,
  onSubmit,
}: {
  initial: OrganisationForm;
  submitLabel: string;
  /** Sends the details; throws ApiError on refusal. */
  onSubmit(details: OrganisationDetails): Promise<void>;
}) {
  const [form, setForm] = useState<OrganisationForm>(initial);
  const save = useSave();
  const set = (key: keyof OrganisationForm) => (v: string) => setForm((f) => ({ ...f, [key]: v }));
  const fields = save.errors.fields;

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const parsed = parseOrganisationDetails(form);
    if (!parsed.ok) return save.refuse(parsed.fields);
    await save.run(() => onSubmit(parsed.value));
  };

  return (
    <form className="form staff-narrow" onSubmit={(e) => void submit(e)} noValidate>
      <ErrorSummary key={save.errors.attempt} message={save.errors.message} fields={fields} labels={ids} />
      <Field
        name={ids.name}
        label={labels.name}
        hint="Как в уставе, например БУЗ УР «Городская поликлиника № 1 МЗ УР»"
        value={form.name}
        onChange={set('name')}
        error={fields.name}
        isRequired
        maxLength={200}
      />
      <Field
        name={ids.shortName}
        label={labels.shortName}
        hint="Так организацию видят пациенты в списках"
        value={form.shortName}
        onChange={set('shortName')}
        error={fields.shortName}
        isRequired
        maxLength={80}
      />
      <Field
        name={ids.address}
        label={labels.address}
        value={form.address}
        onChange={set('address')}
        error={fields.address}
        isRequired
        maxLength={300}
        autoComplete="off"
      />
      <Field
        name={ids.phone}
        label={labels.phone}
        hint="Например +7 (3412) 00-41-10"
        type="tel"
        inputMode="tel"
        value={form.phone}
        onChange={set('phone')}
        error={fields.phone}
        isRequired
        maxLength={40}
        width="medium"
      />
      <SelectField
        id={ids.timeZone}
        label={labels.timeZone}
        hint="Время приёма показывается пациентам по этому поясу."
        value={form.timeZone}
        onChange={set('timeZone')}
        error={fields.timeZone}
        options={zoneOptions}
        placeholder="Выберите часовой пояс"
      />
      <CheckboxField
        id={ids.waitlistAllowed}
        label={labels.waitlistAllowed}
        isSelected={form.waitlistAllowed}
        onChange={(v) => setForm((f) => ({ ...f, waitlistAllowed: v }))}
      />
      <div className="button-row">
        <button type="submit" className="button" disabled={save.busy}>
          {submitLabel}
        </button>
      </div>
    </form>
  );
}
