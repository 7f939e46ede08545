// Per-organisation settings: its own cancellation cut-off (optional) and whether
// patients may join the waitlist there.
import { useState, type FormEvent } from 'react';
import type { Organisation } from '../../../shared/api/index.js';
import { ApiError, api } from '../../api.js';
import { ErrorSummary } from '../../ui/ErrorSummary.js';
import { Field } from '../../ui/Field.js';
import { Notice } from '../../ui/Notice.js';
import { CheckboxField } from '../../ui/staff/CheckboxField.js';
import type { Outcome } from './OperatorPage.js';
import {
  organisationLabels,
  parseOrganisationForm,
  type OrganisationForm as OrganisationFormValues,
} from './operator.forms.js';

export type OrganisationWithSettings = Organisation & { cutoffOverride: string | null };

export function OrganisationSettings({
  organisations,
  regionCutoff,
  outcome,
  setOutcome,
  onSaved,
}: {
  organisations: OrganisationWithSettings[];
  regionCutoff: string | null;
  outcome: Outcome | null;
  setOutcome(o: Outcome | null): void;
  onSaved(): Promise<void>;
}) {
  if (organisations.length === 0) return <p>Медицинские организации ещё не добавлены.</p>;
  return (
    <ul className="list-plain">
      {organisations.map((o) => (
        <li key={o.id} className="card">
          <OrganisationForm
            organisation={o}
            regionCutoff={regionCutoff}
            outcome={outcome?.section === `organisation-${o.id}` ? outcome : null}
            setOutcome={setOutcome}
            onSaved={onSaved}
          />
        </li>
      ))}
    </ul>
  );
}

function OrganisationForm({
  organisation: o,
  regionCutoff,
  outcome,
  setOutcome,
  onSaved,
}: {
  organisation: OrganisationWithSettings;
  regionCutoff: string | null;
  outcome: Outcome | null;
  setOutcome(o: Outcome | null): void;
  onSaved(): Promise<void>;
}) {
  const section = `organisation-${o.id}`;
  const cutoffId = `org-${o.id}-cutoffOverride`;
  const titleId = `org-${o.id}-title`;
  const [form, setForm] = useState<OrganisationFormValues>({
    cutoffOverride: o.cutoffOverride ?? '',
    waitlistAllowed: o.waitlistAllowed,
  });
  const [busy, setBusy] = useState(false);
  const name = o.shortName || o.name;
  // Error fields come keyed by the body's names; the inputs have ids unique on the page.
  const errors = outcome?.kind === 'error' ? outcome.fields : {};

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const parsed = parseOrganisationForm(form);
    if (!parsed.ok) {
      setOutcome({ section, kind: 'error', message: null, fields: parsed.fields });
      return;
    }
    setForm({ cutoffOverride: parsed.value.cutoffOverride ?? '', waitlistAllowed: parsed.value.waitlistAllowed });
    setBusy(true);
    setOutcome(null);
    try {
      await api.put(`/api/operator/organisations/${o.id}`, parsed.value);
      await onSaved();
      setOutcome({
        section,
        kind: 'success',
        title: 'Настройки сохранены',
        text: `Настройки «${name}» уже действуют. Изменение записано в журнал.`,
      });
    } catch (err) {
      const apiErr =
        err instanceof ApiError
          ? err
          : new ApiError(0, 'INTERNAL', 'Что-то пошло не так. Попробуйте ещё раз немного позже.');
      setOutcome({
        section,
        kind: 'error',
        message: Object.keys(apiErr.fields).length ? null : apiErr.message,
        fields: apiErr.fields,
      });
    } finally {
      setBusy(false);
    }
  };

  return (
    <form className="form" onSubmit={(e) => void submit(e)} noValidate aria-labelledby={titleId}>
      <div>
        <h3 id={titleId} className="staff-org-name">
          {o.name}
        </h3>
        <p className="hint staff-break">
          {o.address}. Часовой пояс: {o.timeZone}.
        </p>
      </div>
      {outcome?.kind === 'error' && (
        <ErrorSummary message={outcome.message} fields={errors} labels={{ cutoffOverride: cutoffId }} />
      )}
      {outcome?.kind === 'success' && (
        <Notice kind="success" title={outcome.title}>
          <p>{outcome.text}</p>
        </Notice>
      )}
      <Field
        name={cutoffId}
        label={organisationLabels.cutoffOverride}
        hint={`В формате ЧЧ:ММ. Оставьте пустым, чтобы действовало время региона${regionCutoff ? ` (${regionCutoff})` : ''}.`}
        value={form.cutoffOverride}
        onChange={(v) => setForm((f) => ({ ...f, cutoffOverride: v }))}
        error={errors.cutoffOverride}
        autoComplete="off"
        maxLength={5}
        width="short"
      />
      <CheckboxField
        id={`org-${o.id}-waitlistAllowed`}
        label={organisationLabels.waitlistAllowed}
        isSelected={form.waitlistAllowed}
        onChange={(v) => setForm((f) => ({ ...f, waitlistAllowed: v }))}
      />
      <div className="button-row">
        <button type="submit" className="button" disabled={busy}>
          Сохранить
          <span className="visually-hidden"> настройки «{name}»</span>
        </button>
      </div>
    </form>
  );
}
