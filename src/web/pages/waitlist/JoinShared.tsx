// Pieces shared by the two questions of «Встать в очередь».
import { Link } from 'react-router';
import type { CardFilePerson, DoctorSummary } from '../../../shared/api/index.js';
import { Page } from '../../ui/Page.js';

export interface JoinState {
  /** Where «Назад» of the type question leads (the person question, when it was asked). */
  back?: string;
}

/** Why a person cannot be put on a waitlist yet, or null when they can. */
export function notWaitlistableReason(status: CardFilePerson['status']): string | null {
  if (status === 'pending') return 'Данные на проверке у модератора. Встать в очередь можно после подтверждения.';
  if (status === 'rejected') return 'Данные отклонены модератором. Исправьте их в картотеке, чтобы встать в очередь.';
  return null;
}

export function DoctorLine({ doctor }: { doctor: DoctorSummary | null }) {
  if (!doctor) return null;
  return (
    <p className="lead">
      Очередь к врачу: {doctor.name}, {doctor.specialty.name.toLowerCase()}
      <br />
      {doctor.organisation.name}
    </p>
  );
}

export function NoDoctorPage() {
  return (
    <Page title="Врач не выбран" back={{ to: '/doctors', label: 'Расписание врачей' }}>
      <p>
        Чтобы встать в очередь, откройте расписание врача, у которого нет свободного времени, и нажмите «Встать в
        очередь».
      </p>
      <p>
        <Link to="/doctors">Перейти к расписанию врачей</Link>
      </p>
    </Page>
  );
}
