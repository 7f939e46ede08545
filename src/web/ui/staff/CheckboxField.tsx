// A single checkbox with a visible box and label (react-aria-components).
import { Checkbox } from 'react-aria-components';

export function CheckboxField({
  id,
  label,
  isSelected,
  onChange,
  isDisabled = false,
}: {
  id: string;
  label: string;
  isSelected: boolean;
  onChange(v: boolean): void;
  isDisabled?: boolean;
}) {
  return (
    <Checkbox id={id} className="staff-checkbox" isSelected={isSelected} onChange={onChange} isDisabled={isDisabled}>
      <span className="staff-checkbox-box" aria-hidden="true">
        {isSelected ? '✓' : ''}
      </span>
      <span>{label}</span>
    </Checkbox>
  );
}
