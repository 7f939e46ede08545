// The on-screen digit pad: ten digits, «Стереть» (the last digit) and «Очистить» (all),
// large enough for a finger (each key at least 88 px). Keyboard users can type digits too.
import { useEffect } from 'react';
import { Button } from 'react-aria-components';

const ROWS = [
  ['1', '2', '3'],
  ['4', '5', '6'],
  ['7', '8', '9'],
];

export function DigitPad({
  onDigit,
  onErase,
  onClear,
  label,
  full,
}: {
  onDigit(d: string): void;
  onErase(): void;
  onClear(): void;
  /** What is being typed, for the pad's group name. */
  label: string;
  /** No more digits fit: the digit keys are off. */
  full: boolean;
}) {
  // A hardware keyboard (the registry's own test, or a kiosk with keys) works as well.
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.altKey || e.ctrlKey || e.metaKey) return;
      if (/^\d$/.test(e.key) && !full) onDigit(e.key);
      else if (e.key === 'Backspace') onErase();
      else return;
      e.preventDefault();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [onDigit, onErase, full]);

  const key = (d: string) => (
    <Button key={d} className="kiosk-key" isDisabled={full} onPress={() => onDigit(d)}>
      {d}
    </Button>
  );
  return (
    // biome-ignore lint/a11y/useSemanticElements: a grid of buttons, not form fields: a <fieldset> would bring a legend and its rendering quirks to the CSS grid
    <div className="kiosk-pad" role="group" aria-label={`Цифровая клавиатура: ${label}`}>
      {ROWS.map((row) => row.map(key))}
      <Button className="kiosk-key kiosk-key-action" onPress={onClear}>
        Очистить
      </Button>
      {key('0')}
      <Button className="kiosk-key kiosk-key-action" onPress={onErase} aria-label="Стереть последнюю цифру">
        <span aria-hidden="true">⌫</span> Стереть
      </Button>
    </div>
  );
}
