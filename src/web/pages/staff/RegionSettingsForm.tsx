// The region-wide rules: cut-off time, booking horizon, limit per specialty, hold time,
// and the waitlist's offer window and number of offers.
import { useState, type FormEvent } from 'react';
import type { RegionSettings } from '../../../shared/api/index.js';
import { ApiError, api } from '../../api.js';
import { ErrorSummary } from '../../ui/ErrorSummary.js';
import { Field } from '../../ui/Field.js';
import { Notice } from '../../ui/Notice.js';
import { formatInstant } from '../../ui/staff/format.js';
import type { Outcome } from './OperatorPage.js';
import { parseRegionForm, regionFormFrom, regionLabels, type RegionForm, type RegionKey } from './operator.forms.js';

export type RegionSettingsData = RegionSettings & { updatedAt: string; updatedBy: string | null };

const hints: Record<RegionKey, string> = {
  cutoffTime:
    'В формате ЧЧ:ММ, например 18:00, по местному времени медицинской организации. После этого времени накануне визита запись нельзя отменить через портал: регистратура готовит списки и медицинские карты.',
  horizonDays: 'На сколько дней вперёд открыта запись к врачу. От 1 до 90.',
  maxPerSpecialty: 'Сколько предстоящих записей к врачам одной специальности может быть у одного человека. От 1 до 10.',
  holdMinutes: 'Пока пациент подтверждает запись, выбранное время не может занять никто другой. От 1 до 60 минут.',
  offerWindowHours:
    'Когда для человека из очереди освобождается время, оно закреплено за ним столько часов, но не дольше окончания отмены накануне визита. От 1 до 72.',
  maxOffers:
    'Предложения приходят одно за другим; после отказа от последнего человек исключается из очереди. От 1 до 10.',
};

export function RegionSettingsForm({
  settings,
  outcome,
  setOutcome,
  onSaved,
}: {
  settings: RegionSettingsData;
  outcome: Outcome | null;
  setOutcome(o: Outcome | null): void;
  onSaved(): Promise<void>;
}) {
  const [form, setForm] = useState<RegionForm>(() => regionFormFrom(settings));
  const [busy, setBusy] = useState(false);
  const fieldErrors = outcome?.kind === 'error' ? outcome.fields : {};

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const parsed = parseRegionForm(form);
    if (!parsed.ok) {
      setOutcome({ section: 'region', kind: 'error', message: null, fields: parsed.fields });
      return;
    }
    const next = parsed.value;
    setForm(regionFormFrom(next));
    const unchanged = (Object.keys(regionLabels) as RegionKey[]).every((k) => next[k] === settings[k]);
    if (unchanged) {
      setOutcome({
        section: 'region',
        kind: 'success',
        title: 'Изменений нет',
        text: 'Значения совпадают с действующими.',
      });
      return;
    }
    setBusy(true);
    setOutcome(null);
    try {
      await api.put('/api/operator/settings', next);
      await onSaved();
      setOutcome({
        section: 'region',
        kind: 'success',
        title: 'Настройки сохранены',
        text: 'Новые правила региона уже действуют. Изменение записано в журнал.',
      });
    } catch (err) {
      const apiErr =
        err instanceof ApiError
          ? err
          : new ApiError(0, 'INTERNAL', 'Что-то пошло не так. Попробуйте ещё раз немного позже.');
      setOutcome({
        section: 'region',
        kind: 'error',
        message: Object.keys(apiErr.fields).length ? null : apiErr.message,
        fields: apiErr.fields,
      });
    } finally {
      setBusy(false);
    }
  };

  return (
    <form className="form" onSubmit={(e) => void submit(e)} noValidate aria-labelledby="region-title">
      {outcome?.kind === 'error' && <ErrorSummary message={outcome.message} fields={outcome.fields} />}
      {outcome?.kind === 'success' && (
        <Notice kind="success" title={outcome.title}>
          <p>{outcome.text}</p>
        </Notice>
      )}
      <p className="hint">
        Последнее изменение: {formatInstant(settings.updatedAt)}
        {settings.updatedBy ? `, ${settings.updatedBy}` : ''}.
      </p>
      {(Object.keys(regionLabels) as RegionKey[]).map((key) => (
        <Field
          key={key}
          name={key}
          label={regionLabels[key]}
          hint={hints[key]}
          value={form[key]}
          onChange={(v) => setForm((f) => ({ ...f, [key]: v }))}
          error={fieldErrors[key]}
          isRequired
          inputMode={key === 'cutoffTime' ? 'text' : 'numeric'}
          autoComplete="off"
          maxLength={key === 'cutoffTime' ? 5 : 3}
          width="short"
        />
      ))}
      <div className="button-row">
        <button type="submit" className="button" disabled={busy}>
          Сохранить правила
        </button>
      </div>
    </form>
  );
}
