// One person under review: all the data, earlier decisions, and the two decisions.
// «Отклонить» first asks for the reason, which the account holder will read.
import { useEffect, useRef, useState, type FormEvent } from 'react';
import { useNavigate, useParams } from 'react-router';
import { rejectBody, type ModerationItem } from '../../../shared/api/index.js';
import { formatSnils } from '../../../shared/validation.js';
import { ApiError, api } from '../../api.js';
import { ErrorSummary, type FieldErrors } from '../../ui/ErrorSummary.js';
import { Notice } from '../../ui/Notice.js';
import { Page } from '../../ui/Page.js';
import { LoadProblem, Loading, ToLogin, Forbidden } from '../../ui/staff/Access.js';
import { TextAreaField } from '../../ui/staff/TextAreaField.js';
import { formatBirthDate, formatInstant, formatPolicy, fullName, isoOf, sexLabel } from '../../ui/staff/format.js';
import { useApiData } from '../../ui/staff/useApiData.js';
import type { DecisionNotice } from './ModerationQueuePage.js';

const TITLE = 'Проверка данных человека';
const BACK = { to: '/moderation', label: 'К очереди на проверку' };
const REASON_ID = 'reject-reason';

const statusText: Record<ModerationItem['status'], string> = {
  pending: 'на проверке',
  confirmed: 'подтверждены',
  rejected: 'отклонены',
};

function actionText(action: string): string {
  if (action === 'person.confirm') return 'Данные подтверждены';
  if (action === 'person.reject') return 'Данные отклонены';
  return action;
}

export function ModerationPersonPage() {
  const { personId = '' } = useParams();
  const navigate = useNavigate();
  const {
    data: item,
    error: loadError,
    reload,
  } = useApiData<ModerationItem>(`/api/moderation/persons/${encodeURIComponent(personId)}`);
  const [rejecting, setRejecting] = useState(false);
  const [reason, setReason] = useState('');
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<{ message: string | null; fields: FieldErrors } | null>(null);
  const [authProblem, setAuthProblem] = useState<401 | 403 | null>(null);
  const reasonRef = useRef<HTMLTextAreaElement>(null);
  const rejectButtonRef = useRef<HTMLButtonElement>(null);
  // Focus follows the reject step: into the reason when it opens, back to «Отклонить»
  // when it is cancelled.
  const [cancelled, setCancelled] = useState(false);

  useEffect(() => {
    if (rejecting) reasonRef.current?.focus();
  }, [rejecting]);
  useEffect(() => {
    if (cancelled) {
      rejectButtonRef.current?.focus();
      setCancelled(false);
    }
  }, [cancelled]);

  if (authProblem === 401) return <ToLogin />;
  if (authProblem === 403) return <Forbidden role="moderator" />;
  if (loadError) {
    const notFound = loadError.status === 404 || loadError.code === 'VALIDATION_FAILED';
    const error = notFound
      ? new ApiError(404, 'NOT_FOUND', 'Человек не найден. Возможно, ссылка устарела: вернитесь к очереди.')
      : loadError;
    return (
      <LoadProblem
        title={TITLE}
        error={error}
        role="moderator"
        back={BACK}
        onRetry={notFound ? undefined : () => void reload()}
      />
    );
  }
  if (!item) {
    return (
      <Page title={TITLE} back={BACK}>
        <Loading />
      </Page>
    );
  }

  const name = fullName(item);

  const fail = async (err: unknown) => {
    if (err instanceof ApiError && err.status === 401) return setAuthProblem(401);
    if (err instanceof ApiError && err.status === 403 && err.code === 'FORBIDDEN') return setAuthProblem(403);
    if (err instanceof ApiError) {
      const fields: FieldErrors = { ...err.fields };
      setProblem({ message: Object.keys(fields).length ? null : err.message, fields });
      // Someone else may have decided meanwhile: show the current state.
      if (err.code === 'ALREADY_DECIDED') {
        setRejecting(false);
        await reload();
      }
      return;
    }
    setProblem({ message: 'Что-то пошло не так. Попробуйте ещё раз немного позже.', fields: {} });
  };

  const done = (notice: DecisionNotice) => navigate('/moderation', { state: { decided: notice } });

  const confirm = async () => {
    setBusy(true);
    setProblem(null);
    try {
      await api.post(`/api/moderation/persons/${item.id}/confirm`);
      void done({
        title: 'Данные подтверждены',
        text: `${name}: запись к врачу теперь доступна. Пользователю отправлено письмо.`,
      });
    } catch (err) {
      await fail(err);
    } finally {
      setBusy(false);
    }
  };

  const reject = async (e: FormEvent) => {
    e.preventDefault();
    const parsed = rejectBody.safeParse({ reason });
    if (!parsed.success) {
      setProblem({ message: null, fields: { reason: parsed.error.issues[0]?.message ?? 'Укажите причину' } });
      return;
    }
    setBusy(true);
    setProblem(null);
    try {
      await api.post(`/api/moderation/persons/${item.id}/reject`, parsed.data);
      void done({ title: 'Данные отклонены', text: `${name}: пользователю отправлено письмо с причиной отказа.` });
    } catch (err) {
      await fail(err);
    } finally {
      setBusy(false);
    }
  };

  return (
    <Page title={TITLE} back={BACK}>
      <ErrorSummary message={problem?.message ?? null} fields={problem?.fields} labels={{ reason: REASON_ID }} />
      <h2 className="staff-person-name">{name}</h2>
      <p>
        Статус: <span className={`tag tag-${item.status}`}>{statusText[item.status]}</span>
      </p>
      <dl className="summary-list">
        <dt>Фамилия</dt>
        <dd>{item.lastName}</dd>
        <dt>Имя</dt>
        <dd>{item.firstName}</dd>
        <dt>Отчество</dt>
        <dd>{item.middleName ?? 'нет'}</dd>
        <dt>Дата рождения</dt>
        <dd>{formatBirthDate(item.birthDate)}</dd>
        <dt>Пол</dt>
        <dd>{sexLabel(item.sex)}</dd>
        <dt>СНИЛС</dt>
        <dd className="staff-nowrap">{formatSnils(item.snils)}</dd>
        <dt>Полис ОМС</dt>
        <dd className="staff-nowrap">{formatPolicy(item.policy)}</dd>
        <dt>Телефон</dt>
        <dd>{item.phone ?? 'не указан'}</dd>
        <dt>Кто это в картотеке</dt>
        <dd>{item.isMain ? 'Главный пользователь учётной записи' : 'Человек, добавленный в картотеку'}</dd>
        <dt>Учётная запись</dt>
        <dd className="staff-break">{item.accountEmail ?? 'вход только через Госуслуги'}</dd>
        <dt>Отправлено на проверку</dt>
        <dd>
          <time dateTime={isoOf(item.submittedAt)}>{formatInstant(item.submittedAt)}</time>
        </dd>
      </dl>

      <h2>Прежние решения</h2>
      {item.history.length === 0 ? (
        <p>Данные проверяются впервые.</p>
      ) : (
        <ul className="staff-history">
          {item.history.map((h, i) => (
            // biome-ignore lint/suspicious/noArrayIndexKey: the history is append-only and never reordered; two events may share a time
            <li key={`${h.at}-${i}`}>
              <time dateTime={isoOf(h.at)}>{formatInstant(h.at)}</time> — {actionText(h.action)}
              {h.reason && <>. Причина: «{h.reason}»</>}
            </li>
          ))}
        </ul>
      )}

      <h2>Решение</h2>
      {item.status !== 'pending' ? (
        <Notice title={`Решение уже принято: данные ${statusText[item.status]}`}>
          {item.rejectReason && <p>Причина: «{item.rejectReason}»</p>}
        </Notice>
      ) : rejecting ? (
        <form className="form" onSubmit={(e) => void reject(e)} noValidate aria-label="Отклонение данных">
          <TextAreaField
            name={REASON_ID}
            label="Причина отклонения"
            hint="Пользователь увидит её в картотеке и в письме. Напишите, что нужно исправить, например: «Номер полиса не совпадает с датой рождения»."
            value={reason}
            onChange={setReason}
            isRequired
            maxLength={500}
            error={problem?.fields.reason}
            inputRef={reasonRef}
          />
          <div className="button-row">
            <button type="submit" className="button button-warning" disabled={busy}>
              Отклонить данные
            </button>
            <button
              type="button"
              className="button button-secondary"
              disabled={busy}
              onClick={() => {
                setRejecting(false);
                setProblem(null);
                setCancelled(true);
              }}
            >
              Отмена
            </button>
          </div>
        </form>
      ) : (
        <>
          <p>Сверьте данные. После подтверждения человека можно записывать к врачу.</p>
          <div className="button-row">
            <button type="button" className="button" disabled={busy} onClick={() => void confirm()}>
              Подтвердить
            </button>
            <button
              type="button"
              ref={rejectButtonRef}
              className="button button-warning"
              disabled={busy}
              onClick={() => {
                setProblem(null);
                setRejecting(true);
              }}
            >
              Отклонить
            </button>
          </div>
        </>
      )}
    </Page>
  );
}
