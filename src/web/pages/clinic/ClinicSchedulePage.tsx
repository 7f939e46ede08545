// «Расписание» of a doctor for the clinic administrator and the registrar (issue 16): the
// template editor (weekdays or odd/even dates, hours, slot length, breaks, validity, quotas),
// its preview over the booking horizon with the visits it would conflict with, saving, and
// the exceptions (day off, holiday, other hours) of the doctor or the whole organisation.
import { useState, type ReactNode } from 'react';
import { Link, useParams } from 'react-router';
import type {
  ScheduleConflict,
  ScheduleDoctorsResponse,
  ScheduleExceptionResponse,
  ScheduleExceptionView,
  SchedulePreviewResponse,
  ScheduleTemplateResponse,
  SlotChannelName,
  TemplateRuleBody,
} from '../../../shared/api/schedule-admin.js';
import { ApiError, api } from '../../api.js';
import { useSession } from '../../session.js';
import { Button } from '../../ui/Button.js';
import { ConfirmDialog } from '../../ui/ConfirmDialog.js';
import { ErrorSummary } from '../../ui/ErrorSummary.js';
import { Field } from '../../ui/Field.js';
import { formatDayLong, zoneNote } from '../../ui/format.js';
import { formatDayMonth } from '../../ui/datetime.js';
import { Notice } from '../../ui/Notice.js';
import { Page } from '../../ui/Page.js';
import { RadioChoice } from '../../ui/RadioChoice.js';
import { CheckboxField } from '../../ui/staff/CheckboxField.js';
import { Forbidden, LoadProblem, Loading, ToLogin } from '../../ui/staff/Access.js';
import { useApiData } from '../../ui/staff/useApiData.js';
import { capitalise } from '../patient/labels.js';
import { LiveMessage } from '../patient/LiveMessage.js';
import { asApiError } from '../patient/useApiData.js';

const WEEKDAYS = ['Понедельник', 'Вторник', 'Среда', 'Четверг', 'Пятница', 'Суббота', 'Воскресенье'];
export const CHANNEL_LABELS: Record<SlotChannelName, string> = {
  portal: 'портал',
  registry: 'регистратура',
  referral: 'по направлению',
};
const KIND_LABELS: Record<ScheduleExceptionView['kind'], string> = {
  day_off: 'Выходной',
  holiday: 'Праздничный день',
  other_hours: 'Другие часы приёма',
};

/** The clinic administrator or the registrar; anyone else is refused (the server decides in the end). */
export function RequireScheduleStaff({ children }: { children: ReactNode }) {
  const { account, loading } = useSession();
  if (loading) return <Loading />;
  if (!account) return <ToLogin />;
  if (account.role !== 'clinic_admin' && account.role !== 'registrar') return <Forbidden role="clinic_admin" />;
  return <>{children}</>;
}

// ---------- the list of doctors ----------

export function ClinicScheduleDoctorsPage() {
  const { data, error, reload } = useApiData<ScheduleDoctorsResponse>('/api/clinic/schedule-doctors');
  const title = 'Расписание врачей: шаблоны';
  if (error) return <LoadProblem title={title} error={error} role="clinic_admin" onRetry={() => void reload()} />;
  return (
    <Page title={title}>
      {!data ? (
        <Loading />
      ) : (
        <>
          <p className="lead">
            {data.organisationName}. Выберите врача, чтобы задать его шаблон расписания и исключения.
          </p>
          <ul className="list-plain staff-queue">
            {data.doctors.map((d) => (
              <li key={d.id} className="card staff-queue-item">
                <h2 className="staff-queue-name">
                  <Link to={`/clinic/schedules/${d.id}`}>{d.name}</Link>
                </h2>
                <p className="staff-note">
                  {capitalise(d.specialty)}, кабинет {d.room}. {d.hasTemplate ? 'Шаблон задан.' : 'Шаблона нет.'}
                </p>
              </li>
            ))}
          </ul>
        </>
      )}
    </Page>
  );
}

// ---------- the form's state ----------

interface RuleForm {
  days: 'weekdays' | 'odd' | 'even';
  weekdays: number[];
  startTime: string;
  endTime: string;
  slotMinutes: string;
  breaks: { start: string; end: string }[];
  validFrom: string;
  validUntil: string;
  registryPercent: string;
  referralPercent: string;
}

function toForm(r: TemplateRuleBody): RuleForm {
  return {
    days: r.days,
    weekdays: r.weekdays,
    startTime: r.startTime,
    endTime: r.endTime,
    slotMinutes: String(r.slotMinutes),
    breaks: r.breaks,
    validFrom: r.validFrom,
    validUntil: r.validUntil ?? '',
    registryPercent: String(r.registryPercent),
    referralPercent: String(r.referralPercent),
  };
}

function newRule(today: string): RuleForm {
  return {
    days: 'weekdays',
    weekdays: [1, 2, 3, 4, 5],
    startTime: '08:00',
    endTime: '14:00',
    slotMinutes: '15',
    breaks: [],
    validFrom: today,
    validUntil: '',
    registryPercent: '0',
    referralPercent: '0',
  };
}

/** A number typed in a field: the number when it is one, else the text (the server names the problem). */
const num = (v: string): number | string => (/^\d+$/.test(v.trim()) ? Number(v.trim()) : v);

function toBody(rules: RuleForm[]) {
  return {
    rules: rules.map((r) => ({
      days: r.days,
      weekdays: r.days === 'weekdays' ? r.weekdays : [],
      startTime: r.startTime.trim(),
      endTime: r.endTime.trim(),
      slotMinutes: num(r.slotMinutes),
      breaks: r.breaks.map((b) => ({ start: b.start.trim(), end: b.end.trim() })),
      validFrom: r.validFrom.trim(),
      validUntil: r.validUntil.trim() === '' ? null : r.validUntil.trim(),
      registryPercent: num(r.registryPercent),
      referralPercent: num(r.referralPercent),
    })),
  };
}

/** An API field path ("rules.0.endTime") as an element id. */
const fieldId = (path: string) => path.replace(/\./g, '-');

// ---------- the doctor's page ----------

export function ClinicSchedulePage() {
  const { doctorId = '' } = useParams();
  const base = `/api/clinic/doctors/${encodeURIComponent(doctorId)}`;
  const { data, error, reload } = useApiData<ScheduleTemplateResponse>(`${base}/schedule-template`);
  const { account } = useSession();
  const title = 'Расписание врача';
  const back = { to: '/clinic/schedules', label: 'К списку врачей' };
  // Kept here: saving reloads the page's data and starts the editor afresh.
  const [saved, setSaved] = useState<string | null>(null);

  if (error) {
    const shown =
      error.status === 404 ? new ApiError(404, 'NOT_FOUND', 'Врач не найден в вашей медицинской организации.') : error;
    return <LoadProblem title={title} error={shown} role="clinic_admin" back={back} />;
  }
  if (!data) {
    return (
      <Page title={title} back={back}>
        <Loading />
      </Page>
    );
  }
  const zone = zoneNote(data.timeZone);
  const deskLinks = account?.role === 'registrar';
  return (
    <Page title={`${title}: ${data.doctor.name}`} back={back} wide>
      <p className="lead">
        {capitalise(data.doctor.specialty)}, кабинет {data.doctor.room}. {data.doctor.organisationName}.
      </p>
      {zone && <p className="hint">{zone}</p>}
      {deskLinks && (
        <p>
          <Link to={`/desk/schedules/${data.doctor.id}`}>Закрыть или открыть отдельное время</Link>
        </p>
      )}
      {data.conflicts.length > 0 && (
        <Notice kind="warning" title="Записи вне расписания">
          <p>Эти записи остались от прежнего расписания: перенесите или отмените их.</p>
          <ConflictList conflicts={data.conflicts} deskLinks={deskLinks} />
        </Notice>
      )}
      <LiveMessage message={saved} title="Расписание сохранено" />
      <TemplateEditor
        key={JSON.stringify(data.rules)}
        data={data}
        base={base}
        deskLinks={deskLinks}
        onSaved={async (message) => {
          setSaved(message);
          await reload();
        }}
        onEdit={() => setSaved(null)}
      />
      <Exceptions data={data} base={base} deskLinks={deskLinks} onChanged={reload} />
    </Page>
  );
}

function ConflictList({ conflicts, deskLinks }: { conflicts: ScheduleConflict[]; deskLinks: boolean }) {
  return (
    <ul className="schedule-conflicts">
      {conflicts.map((c) => {
        const what = `${formatDayMonth(c.date)}, ${c.time}: ${c.status === 'held' ? 'время предложено пациенту из очереди' : `запись ${c.reference ?? ''}`}`;
        return (
          <li key={c.slotId}>
            {deskLinks && c.patientId ? <Link to={`/desk/patients/${c.patientId}`}>{what}</Link> : what}
          </li>
        );
      })}
      {!deskLinks && <li className="hint">Перенести или отменить запись может регистратура.</li>}
    </ul>
  );
}

function TemplateEditor({
  data,
  base,
  deskLinks,
  onSaved,
  onEdit,
}: {
  data: ScheduleTemplateResponse;
  base: string;
  deskLinks: boolean;
  onSaved(message: string): Promise<void>;
  onEdit(): void;
}) {
  const [rules, setRules] = useState<RuleForm[]>(data.rules.length ? data.rules.map(toForm) : [newRule(data.today)]);
  const [fields, setFields] = useState<Record<string, string>>({});
  const [problem, setProblem] = useState<string | null>(null);
  const [preview, setPreview] = useState<SchedulePreviewResponse | null>(null);
  const [busy, setBusy] = useState<'preview' | 'save' | null>(null);

  const change = (i: number, patch: Partial<RuleForm>) => {
    setRules((rs) => rs.map((r, j) => (j === i ? { ...r, ...patch } : r)));
    setPreview(null);
    onEdit();
  };

  async function send(kind: 'preview' | 'save') {
    setBusy(kind);
    setProblem(null);
    setFields({});
    try {
      if (kind === 'preview') {
        setPreview(await api.post<SchedulePreviewResponse>(`${base}/schedule-template/preview`, toBody(rules)));
      } else {
        const result = await api.put<SchedulePreviewResponse>(`${base}/schedule-template`, toBody(rules));
        setPreview(null);
        await onSaved(
          `Шаблон сохранён. Создано свободного времени: ${result.created}, убрано: ${result.removed}.` +
            (result.conflicts.length
              ? ` Записей вне расписания: ${result.conflicts.length} — они сохранены, перенесите или отмените их.`
              : ''),
        );
      }
    } catch (e) {
      const err = asApiError(e);
      setFields(err.fields ?? {});
      setProblem(err.code === 'VALIDATION_FAILED' ? null : err.message);
    } finally {
      setBusy(null);
    }
  }

  const err = (path: string) => fields[path];
  const labels = Object.fromEntries(Object.keys(fields).map((k) => [k, fieldId(k)]));

  return (
    <section aria-labelledby="template-title" className="schedule-editor">
      <h2 id="template-title">Шаблон расписания</h2>
      <ErrorSummary message={problem} fields={fields} labels={labels} />
      <p className="hint">
        Шаблон создаёт время приёма на {formatDayMonth(data.today)} — {formatDayMonth(data.horizonEnd)} и дальше, по
        мере того как открывается запись. Доля регистратуры и доля записи по направлению — часть времени каждого дня,
        которую не видно на портале; остальное время открыто для записи через портал.
      </p>
      {rules.map((r, i) => (
        // biome-ignore lint/suspicious/noArrayIndexKey: rules have no id until saved; the list only grows at the end or loses a rule with its fields
        <fieldset key={i} className="card schedule-rule">
          <legend className="schedule-rule-title">Правило {i + 1}</legend>
          <RadioChoice
            id={fieldId(`rules.${i}.days`)}
            label="Дни приёма"
            value={r.days}
            onChange={(v) => change(i, { days: v as RuleForm['days'] })}
            error={err(`rules.${i}.days`)}
            options={[
              { value: 'weekdays', label: 'По дням недели' },
              { value: 'odd', label: 'Нечётные числа месяца' },
              { value: 'even', label: 'Чётные числа месяца' },
            ]}
          />
          {r.days === 'weekdays' && (
            <fieldset className="field" id={fieldId(`rules.${i}.weekdays`)}>
              <legend className="label">Дни недели</legend>
              {err(`rules.${i}.weekdays`) && <p className="field-error">{err(`rules.${i}.weekdays`)}</p>}
              <div className="weekday-choice">
                {WEEKDAYS.map((w, k) => (
                  <CheckboxField
                    key={w}
                    id={`rule-${i}-weekday-${k + 1}`}
                    label={w}
                    isSelected={r.weekdays.includes(k + 1)}
                    onChange={(on) =>
                      change(i, {
                        weekdays: on
                          ? [...r.weekdays, k + 1].sort((a, b) => a - b)
                          : r.weekdays.filter((d) => d !== k + 1),
                      })
                    }
                  />
                ))}
              </div>
            </fieldset>
          )}
          <div className="field-row">
            <Field
              name={fieldId(`rules.${i}.startTime`)}
              label="Начало приёма"
              hint="ЧЧ:ММ"
              width="short"
              isRequired
              value={r.startTime}
              onChange={(v) => change(i, { startTime: v })}
              error={err(`rules.${i}.startTime`)}
            />
            <Field
              name={fieldId(`rules.${i}.endTime`)}
              label="Конец приёма"
              hint="ЧЧ:ММ"
              width="short"
              isRequired
              value={r.endTime}
              onChange={(v) => change(i, { endTime: v })}
              error={err(`rules.${i}.endTime`)}
            />
            <Field
              name={fieldId(`rules.${i}.slotMinutes`)}
              label="Длительность приёма, мин"
              width="short"
              inputMode="numeric"
              isRequired
              value={r.slotMinutes}
              onChange={(v) => change(i, { slotMinutes: v })}
              error={err(`rules.${i}.slotMinutes`)}
            />
          </div>
          <fieldset className="field">
            <legend className="label">Перерывы</legend>
            {r.breaks.length === 0 && <p className="hint">Перерывов нет.</p>}
            {r.breaks.map((b, k) => (
              // biome-ignore lint/suspicious/noArrayIndexKey: breaks have no id until saved; they are edited in place
              <div className="field-row" key={k}>
                <Field
                  name={fieldId(`rules.${i}.breaks.${k}.start`)}
                  label={`Перерыв ${k + 1}: начало`}
                  width="short"
                  isRequired
                  value={b.start}
                  onChange={(v) => change(i, { breaks: r.breaks.map((x, j) => (j === k ? { ...x, start: v } : x)) })}
                  error={err(`rules.${i}.breaks.${k}.start`)}
                />
                <Field
                  name={fieldId(`rules.${i}.breaks.${k}.end`)}
                  label={`Перерыв ${k + 1}: конец`}
                  width="short"
                  isRequired
                  value={b.end}
                  onChange={(v) => change(i, { breaks: r.breaks.map((x, j) => (j === k ? { ...x, end: v } : x)) })}
                  error={err(`rules.${i}.breaks.${k}.end`)}
                />
                <Button variant="secondary" onPress={() => change(i, { breaks: r.breaks.filter((_, j) => j !== k) })}>
                  Удалить перерыв {k + 1}
                </Button>
              </div>
            ))}
            <div className="button-row">
              <Button variant="secondary" onPress={() => change(i, { breaks: [...r.breaks, { start: '', end: '' }] })}>
                Добавить перерыв
              </Button>
            </div>
          </fieldset>
          <div className="field-row">
            <Field
              name={fieldId(`rules.${i}.validFrom`)}
              label="Действует с"
              hint="ГГГГ-ММ-ДД"
              width="medium"
              isRequired
              value={r.validFrom}
              onChange={(v) => change(i, { validFrom: v })}
              error={err(`rules.${i}.validFrom`)}
            />
            <Field
              name={fieldId(`rules.${i}.validUntil`)}
              label="Действует по"
              hint="ГГГГ-ММ-ДД; пусто — без срока"
              width="medium"
              value={r.validUntil}
              onChange={(v) => change(i, { validUntil: v })}
              error={err(`rules.${i}.validUntil`)}
            />
          </div>
          <div className="field-row">
            <Field
              name={fieldId(`rules.${i}.registryPercent`)}
              label="Доля регистратуры, %"
              width="short"
              inputMode="numeric"
              isRequired
              value={r.registryPercent}
              onChange={(v) => change(i, { registryPercent: v })}
              error={err(`rules.${i}.registryPercent`)}
            />
            <Field
              name={fieldId(`rules.${i}.referralPercent`)}
              label="Доля записи по направлению, %"
              width="short"
              inputMode="numeric"
              isRequired
              value={r.referralPercent}
              onChange={(v) => change(i, { referralPercent: v })}
              error={err(`rules.${i}.referralPercent`)}
            />
          </div>
          {rules.length > 1 && (
            <div className="button-row">
              <Button
                variant="secondary"
                onPress={() => {
                  setRules((rs) => rs.filter((_, j) => j !== i));
                  setPreview(null);
                }}
              >
                Удалить правило {i + 1}
              </Button>
            </div>
          )}
        </fieldset>
      ))}
      <div className="button-row">
        <Button
          variant="secondary"
          onPress={() => {
            setRules((rs) => [...rs, newRule(data.today)]);
            setPreview(null);
          }}
        >
          Добавить правило
        </Button>
        <Button onPress={() => void send('preview')} isPending={busy === 'preview'}>
          Показать, что получится
        </Button>
      </div>
      {preview && (
        <section aria-labelledby="preview-title" className="schedule-preview">
          <h2 id="preview-title" tabIndex={-1}>
            Что получится
          </h2>
          <p>
            Будет создано свободного времени: {preview.created}, убрано: {preview.removed}.
          </p>
          {preview.conflicts.length > 0 ? (
            <Notice kind="warning" title={`Затронутые записи: ${preview.conflicts.length}`}>
              <p>
                В это время новый шаблон приёма не предусматривает. Записи не отменятся: они сохранятся вне расписания,
                перенесите или отмените их.
              </p>
              <ConflictList conflicts={preview.conflicts} deskLinks={deskLinks} />
            </Notice>
          ) : (
            <p>Ни одна запись пациентов не затронута.</p>
          )}
          <div className="schedule">
            {preview.days.map((day) => (
              <section className="schedule-day" key={day.date} aria-labelledby={`preview-${day.date}`}>
                <h3 id={`preview-${day.date}`}>{formatDayLong(day.date)}</h3>
                {day.slots.length === 0 ? (
                  <p className="hint">Приёма нет</p>
                ) : (
                  <ul className="slot-list">
                    {day.slots.map((s) => (
                      <li key={s.time} className={`slot slot-preview slot-channel-${s.channel}`}>
                        <span className="slot-time">
                          {s.time}–{s.endTime}
                        </span>
                        <span className="slot-text">{CHANNEL_LABELS[s.channel]}</span>
                      </li>
                    ))}
                  </ul>
                )}
              </section>
            ))}
          </div>
          <div className="button-row">
            <Button onPress={() => void send('save')} isPending={busy === 'save'}>
              Сохранить шаблон
            </Button>
          </div>
        </section>
      )}
    </section>
  );
}

// ---------- exceptions ----------

function Exceptions({
  data,
  base,
  deskLinks,
  onChanged,
}: {
  data: ScheduleTemplateResponse;
  base: string;
  deskLinks: boolean;
  onChanged(): Promise<void>;
}) {
  const [scope, setScope] = useState<'doctor' | 'organisation'>('doctor');
  const [kind, setKind] = useState<ScheduleExceptionView['kind']>('day_off');
  const [date, setDate] = useState('');
  const [startTime, setStartTime] = useState('');
  const [endTime, setEndTime] = useState('');
  const [slotMinutes, setSlotMinutes] = useState('');
  const [note, setNote] = useState('');
  const [fields, setFields] = useState<Record<string, string>>({});
  const [problem, setProblem] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [result, setResult] = useState<ScheduleExceptionResponse | null>(null);
  const [removing, setRemoving] = useState<ScheduleExceptionView | null>(null);
  const [message, setMessage] = useState<string | null>(null);

  async function add() {
    setBusy(true);
    setFields({});
    setProblem(null);
    try {
      const body = {
        scope,
        kind,
        date: date.trim(),
        ...(kind === 'other_hours'
          ? { startTime: startTime.trim(), endTime: endTime.trim(), slotMinutes: num(slotMinutes) }
          : {}),
        ...(note.trim() ? { note } : {}),
      };
      const res = await api.post<ScheduleExceptionResponse>(`${base}/schedule-exceptions`, body);
      setResult(res);
      setMessage(`Исключение на ${formatDayMonth(res.exception.date)} добавлено.`);
      setDate('');
      setNote('');
      await onChanged();
    } catch (e) {
      const err = asApiError(e);
      setFields(err.fields ?? {});
      setProblem(err.code === 'VALIDATION_FAILED' ? null : err.message);
    } finally {
      setBusy(false);
    }
  }

  const exceptionText = (e: ScheduleExceptionView) =>
    `${KIND_LABELS[e.kind]}${e.kind === 'other_hours' ? ` ${e.startTime}–${e.endTime}, по ${e.slotMinutes} мин` : ''}` +
    `${e.scope === 'organisation' ? ' (вся организация)' : ''}${e.note ? `. ${e.note}` : ''}`;

  return (
    <section aria-labelledby="exceptions-title" className="schedule-exceptions">
      <h2 id="exceptions-title">Исключения</h2>
      <LiveMessage message={message} title="Исключения изменены" />
      {data.exceptions.length === 0 ? (
        <p>Исключений впереди нет.</p>
      ) : (
        <ul className="list-plain">
          {data.exceptions.map((e) => (
            <li key={e.id} className="card exception-item">
              <p>
                <strong>{formatDayLong(e.date)}</strong>: {exceptionText(e)}
              </p>
              <Button variant="secondary" onPress={() => setRemoving(e)}>
                Удалить исключение на {formatDayMonth(e.date)}
              </Button>
            </li>
          ))}
        </ul>
      )}
      {result && result.conflicts.length > 0 && (
        <Notice kind="warning" title={`Записи на ${formatDayMonth(result.exception.date)}: ${result.conflicts.length}`}>
          <p>Записи сохранены вне расписания: перенесите или отмените их.</p>
          <ConflictList conflicts={result.conflicts} deskLinks={deskLinks} />
        </Notice>
      )}
      <h3>Добавить исключение</h3>
      <ErrorSummary
        message={problem}
        fields={fields}
        labels={{
          scope: 'exception-scope',
          kind: 'exception-kind',
          date: 'exception-date',
          startTime: 'exception-startTime',
          endTime: 'exception-endTime',
          slotMinutes: 'exception-slotMinutes',
          note: 'exception-note',
        }}
      />
      <RadioChoice
        id="exception-scope"
        label="Для кого"
        value={scope}
        onChange={(v) => setScope(v as 'doctor' | 'organisation')}
        error={fields.scope}
        options={[
          { value: 'doctor', label: `Только ${data.doctor.name}` },
          { value: 'organisation', label: 'Все врачи организации', hint: 'Например, праздничный день' },
        ]}
      />
      <Field
        name="exception-date"
        label="Дата"
        hint="ГГГГ-ММ-ДД"
        width="medium"
        isRequired
        value={date}
        onChange={setDate}
        error={fields.date}
      />
      <RadioChoice
        id="exception-kind"
        label="Что в этот день"
        value={kind}
        onChange={(v) => setKind(v as ScheduleExceptionView['kind'])}
        error={fields.kind}
        options={[
          { value: 'day_off', label: 'Выходной' },
          { value: 'holiday', label: 'Праздничный день' },
          { value: 'other_hours', label: 'Другие часы приёма' },
        ]}
      />
      {kind === 'other_hours' && (
        <div className="field-row">
          <Field
            name="exception-startTime"
            label="Начало приёма"
            hint="ЧЧ:ММ"
            width="short"
            isRequired
            value={startTime}
            onChange={setStartTime}
            error={fields.startTime}
          />
          <Field
            name="exception-endTime"
            label="Конец приёма"
            hint="ЧЧ:ММ"
            width="short"
            isRequired
            value={endTime}
            onChange={setEndTime}
            error={fields.endTime}
          />
          <Field
            name="exception-slotMinutes"
            label="Длительность приёма, мин"
            width="short"
            inputMode="numeric"
            isRequired
            value={slotMinutes}
            onChange={setSlotMinutes}
            error={fields.slotMinutes}
          />
        </div>
      )}
      <Field
        name="exception-note"
        label="Комментарий"
        maxLength={200}
        value={note}
        onChange={setNote}
        error={fields.note}
      />
      <div className="button-row">
        <Button onPress={() => void add()} isPending={busy}>
          Добавить исключение
        </Button>
      </div>
      <ConfirmDialog
        isOpen={removing !== null}
        onClose={() => setRemoving(null)}
        title="Удалить исключение?"
        confirmLabel="Удалить"
        cancelLabel="Не удалять"
        onConfirm={async () => {
          if (!removing) return;
          try {
            await api.delete(`/api/clinic/schedule-exceptions/${removing.id}`);
          } catch (e) {
            throw new Error(asApiError(e).message);
          }
          setMessage(`Исключение на ${formatDayMonth(removing.date)} удалено: день снова по шаблону.`);
          setRemoving(null);
          await onChanged();
        }}
      >
        {removing && (
          <p>{`${formatDayLong(removing.date)}: ${exceptionText(removing)}. День снова пойдёт по шаблону.`}</p>
        )}
      </ConfirmDialog>
    </section>
  );
}
