// The start screen and identification: полис ОМС (16 digits), then date of birth
// (ДД.ММ.ГГГГ), both on the digit pad.
import { useCallback, useState } from 'react';
import type { KioskIdentifyResponse } from '../../../shared/api/index.js';
import { todayIn } from '../../ui/datetime.js';
import { DigitPad } from './DigitPad.js';
import { useKiosk } from './kiosk.context.js';
import {
  BIRTH_DIGITS,
  birthDateOf,
  birthDateProblem,
  birthMask,
  digitsProgress,
  formatPolicy,
  POLICY_DIGITS,
} from './kiosk.format.js';
import { kioskApi } from './kioskApi.js';
import { KioskActions, KioskButton, KioskError, KioskHeading } from './KioskParts.js';

export function StartScreen({ onStart, notice }: { onStart(): void; notice: string | null }) {
  const { home } = useKiosk();
  return (
    <div className="kiosk-start">
      <KioskHeading>Запись к врачу</KioskHeading>
      {notice && (
        <div className="kiosk-notice" role="status">
          <p>{notice}</p>
        </div>
      )}
      <p className="kiosk-lead">
        Здесь можно посмотреть свои записи, записаться к врачу или отменить запись в медицинской организации «
        {home.organisation.shortName}». Понадобятся полис ОМС и дата рождения.
      </p>
      <KioskButton className="kiosk-button-large" onPress={onStart}>
        Начать
      </KioskButton>
    </div>
  );
}

function useDigits(value: string, onChange: (v: string) => void, max: number) {
  const add = useCallback((d: string) => onChange(value.length < max ? value + d : value), [value, onChange, max]);
  const erase = useCallback(() => onChange(value.slice(0, -1)), [value, onChange]);
  const clear = useCallback(() => onChange(''), [onChange]);
  return { add, erase, clear };
}

export function PolicyScreen({
  digits,
  onChange,
  onNext,
  onBack,
}: {
  digits: string;
  onChange(v: string): void;
  onNext(): void;
  onBack(): void;
}) {
  const { add, erase, clear } = useDigits(digits, onChange, POLICY_DIGITS);
  const complete = digits.length === POLICY_DIGITS;
  return (
    <div className="kiosk-entry">
      <KioskHeading>Введите номер полиса ОМС</KioskHeading>
      <p className="kiosk-hint">16 цифр — они напечатаны на полисе или на выписке о полисе.</p>
      <div className="kiosk-display-wrap">
        <label className="kiosk-display-label" htmlFor="kiosk-policy">
          Номер полиса ОМС
        </label>
        <output id="kiosk-policy" className="kiosk-display" aria-live="polite">
          <span>{digits ? formatPolicy(digits) : '—'}</span>
          <span className="visually-hidden">, {digitsProgress(digits.length, POLICY_DIGITS)}</span>
        </output>
        <p className="kiosk-progress" aria-hidden="true">
          {digits.length} из {POLICY_DIGITS}
        </p>
      </div>
      <DigitPad label="номер полиса" onDigit={add} onErase={erase} onClear={clear} full={complete} />
      <KioskActions>
        <KioskButton variant="secondary" onPress={onBack}>
          Назад
        </KioskButton>
        <KioskButton isDisabled={!complete} onPress={onNext}>
          Далее
        </KioskButton>
      </KioskActions>
    </div>
  );
}

export function BirthScreen({
  policy,
  digits,
  onChange,
  onIdentified,
  onBack,
}: {
  policy: string;
  digits: string;
  onChange(v: string): void;
  onIdentified(r: KioskIdentifyResponse): void;
  onBack(): void;
}) {
  const { home, problem } = useKiosk();
  const { add, erase, clear } = useDigits(digits, onChange, BIRTH_DIGITS);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const mask = birthMask(digits);

  const submit = async () => {
    const wrong = birthDateProblem(digits, todayIn(home.organisation.timeZone));
    if (wrong) {
      setError(wrong);
      return;
    }
    setBusy(true);
    setError(null);
    try {
      const r = await kioskApi.post<KioskIdentifyResponse>('/api/kiosk/identify', {
        policy,
        birthDate: birthDateOf(digits),
      });
      onIdentified(r);
    } catch (err) {
      setError(problem(err));
      setBusy(false);
    }
  };

  return (
    <div className="kiosk-entry">
      <KioskHeading>Введите дату рождения</KioskHeading>
      <p className="kiosk-hint">День, месяц и год: например, 14 июня 1988 года — 14 06 1988.</p>
      <KioskError message={error} />
      <div className="kiosk-display-wrap">
        <label className="kiosk-display-label" htmlFor="kiosk-birth">
          Дата рождения
        </label>
        <output id="kiosk-birth" className="kiosk-display" aria-live="polite">
          <span>{mask.typed}</span>
          <span className="kiosk-mask" aria-hidden="true">
            {mask.rest}
          </span>
          <span className="visually-hidden">, {digitsProgress(digits.length, BIRTH_DIGITS)}</span>
        </output>
        <p className="kiosk-progress">
          Полис: <span className="kiosk-nowrap">{formatPolicy(policy)}</span>
        </p>
      </div>
      <DigitPad
        label="дата рождения"
        onDigit={(d) => {
          setError(null);
          add(d);
        }}
        onErase={erase}
        onClear={clear}
        full={digits.length === BIRTH_DIGITS}
      />
      <KioskActions>
        <KioskButton variant="secondary" onPress={onBack}>
          Изменить полис
        </KioskButton>
        <KioskButton isDisabled={digits.length !== BIRTH_DIGITS} isPending={busy} onPress={() => void submit()}>
          Найти мои записи
        </KioskButton>
      </KioskActions>
    </div>
  );
}
