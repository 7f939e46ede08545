// «Закрыть приём врача» at the desk (registrar, clinic administrator): choose the doctor, the
// first and last day and the reason (болезнь, отпуск, учёба, другое); closing opens the
// absence's page with the visits to decide. Below: the organisation's current closures.
import { useState } from 'react';
import { Link, useNavigate } from 'react-router';
import type { AbsenceDetail, AbsenceListResponse, AbsenceReason } from '../../../shared/api/absence.js';
import type { StaffDoctorsResponse } from '../../../shared/api/index.js';
import { api } from '../../api.js';
import { useSession } from '../../session.js';
import { Button } from '../../ui/Button.js';
import { ErrorSummary, type FieldErrors } from '../../ui/ErrorSummary.js';
import { Field } from '../../ui/Field.js';
import { formatDate } from '../../ui/format.js';
import { Page } from '../../ui/Page.js';
import { RadioChoice } from '../../ui/RadioChoice.js';
import { LoadProblem, Loading } from '../../ui/staff/Access.js';
import { TextAreaField } from '../../ui/staff/TextAreaField.js';
import { useApiData } from '../../ui/staff/useApiData.js';
import { capitalise } from '../patient/labels.js';
import { asApiError } from '../patient/useApiData.js';
import { ABSENCE_REASON_LABELS } from './words.js';

const TITLE = 'Закрыть приём врача';

export function AbsencesPage() {
  const doctors = useApiData<StaffDoctorsResponse>('/api/desk/absences/doctors');
  const list = useApiData<AbsenceListResponse>('/api/desk/absences');
  const navigate = useNavigate();
  const { account } = useSession();
  const [doctorId, setDoctorId] = useState<string | null>(null);
  const [fromDate, setFrom] = useState('');
  const [toDate, setTo] = useState('');
  const [reason, setReason] = useState<string | null>(null);
  const [comment, setComment] = useState('');
  const [errors, setErrors] = useState<FieldErrors>({});
  const [message, setMessage] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const error = doctors.error ?? list.error;
  if (error) return <LoadProblem title={TITLE} error={error} role="registrar" onRetry={() => void doctors.reload()} />;

  const submit = async () => {
    const local: FieldErrors = {};
    if (!doctorId) local.doctorId = 'Выберите врача';
    if (!fromDate) local.fromDate = 'Укажите первый день';
    if (!toDate) local.toDate = 'Укажите последний день';
    if (!reason) local.reason = 'Выберите причину';
    setErrors(local);
    setMessage(null);
    if (Object.keys(local).length) return;
    setBusy(true);
    try {
      const created = await api.post<AbsenceDetail>(`/api/desk/doctors/${doctorId}/absences`, {
        fromDate,
        toDate,
        reason,
        ...(comment.trim() ? { comment } : {}),
      });
      void navigate(`/desk/absences/${created.id}`);
    } catch (e) {
      const a = asApiError(e);
      setErrors(a.fields);
      setMessage(Object.keys(a.fields).length ? null : a.message);
      setBusy(false);
    }
  };

  return (
    <Page
      title={TITLE}
      back={
        account?.role === 'clinic_admin'
          ? { to: '/clinic/schedules', label: 'К расписанию врачей' }
          : { to: '/desk/schedules', label: 'К расписанию врачей' }
      }
    >
      {!doctors.data || !list.data ? (
        <Loading />
      ) : (
        <>
          <p className="lead">
            Время закрытых дней не показывается пациентам как свободное и не предлагается очереди. Записанных пациентов
            вы перенесёте к другому врачу или отмените запись на следующей странице.
          </p>
          <ErrorSummary message={message} fields={errors} />
          <form
            noValidate
            onSubmit={(e) => {
              e.preventDefault();
              void submit();
            }}
          >
            <RadioChoice
              id="doctorId"
              label="Врач"
              error={errors.doctorId}
              value={doctorId}
              onChange={setDoctorId}
              options={doctors.data.doctors.map((d) => ({
                value: String(d.id),
                label: d.name,
                hint: `${capitalise(d.specialty.name)}, кабинет ${d.room}`,
              }))}
            />
            <Field
              name="fromDate"
              type="date"
              label="Первый день"
              value={fromDate}
              onChange={setFrom}
              error={errors.fromDate}
              isRequired
              width="medium"
            />
            <Field
              name="toDate"
              type="date"
              label="Последний день (включительно)"
              value={toDate}
              onChange={setTo}
              error={errors.toDate}
              isRequired
              width="medium"
            />
            <RadioChoice
              id="reason"
              label="Причина"
              hint="Пациентам показывается только отпуск и учёба; о болезни пишется «Врач не принимает»."
              error={errors.reason}
              value={reason}
              onChange={setReason}
              options={(Object.keys(ABSENCE_REASON_LABELS) as AbsenceReason[]).map((r) => ({
                value: r,
                label: ABSENCE_REASON_LABELS[r],
              }))}
            />
            <TextAreaField
              name="comment"
              label="Комментарий для сотрудников"
              hint="Пациенты его не видят."
              value={comment}
              onChange={setComment}
              error={errors.comment}
              maxLength={500}
              rows={2}
            />
            <Button type="submit" isPending={busy}>
              Закрыть приём
            </Button>
          </form>
          <h2>Закрытия приёма</h2>
          {list.data.absences.length === 0 ? (
            <p>Закрытых дней нет.</p>
          ) : (
            <ul className="list-plain staff-queue">
              {list.data.absences.map((a) => (
                <li key={a.id} className="card staff-queue-item">
                  <h3 className="staff-queue-name">
                    <Link to={`/desk/absences/${a.id}`}>
                      {a.doctor.name}: {formatDate(a.fromDate)}
                      {a.toDate !== a.fromDate ? ` — ${formatDate(a.toDate)}` : ''}
                    </Link>
                  </h3>
                  <p className="staff-note">
                    {ABSENCE_REASON_LABELS[a.reason]}.{' '}
                    {a.cancelledAt
                      ? 'Приём открыт снова.'
                      : a.openVisits > 0
                        ? `Ждут решения: ${a.openVisits}.`
                        : 'Все записи решены.'}
                  </p>
                </li>
              ))}
            </ul>
          )}
        </>
      )}
    </Page>
  );
}
