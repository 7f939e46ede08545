// A labelled group of radio buttons (react-aria-components RadioGroup) with hint and error,
// laid out like GOV.UK radios: each option may carry its own hint and be disabled.
import type { ReactNode } from 'react';
import { FieldError, Label, Radio, RadioGroup, Text } from 'react-aria-components';

export interface RadioOption {
  value: string;
  label: ReactNode;
  hint?: ReactNode;
  isDisabled?: boolean;
}

export function RadioChoice({
  id,
  label,
  labelHidden = false,
  hint,
  error,
  options,
  value,
  onChange,
  inline = false,
  isRequired = true,
}: {
  /** Id of the group, the target of the error summary's link. */
  id: string;
  label: string;
  /** Hide the label visually (the page heading asks the question). */
  labelHidden?: boolean;
  hint?: string;
  error?: string;
  options: RadioOption[];
  value: string | null;
  onChange(value: string): void;
  inline?: boolean;
  isRequired?: boolean;
}) {
  return (
    <RadioGroup
      id={id}
      className={`field radio-field${error ? ' field-invalid' : ''}`}
      value={value}
      onChange={onChange}
      isInvalid={Boolean(error)}
      isRequired={isRequired}
      validationBehavior="aria"
      orientation={inline ? 'horizontal' : 'vertical'}
    >
      <Label className={labelHidden ? 'visually-hidden' : 'label'}>{label}</Label>
      {hint && (
        <Text slot="description" className="hint">
          {hint}
        </Text>
      )}
      <FieldError className="field-error">{error}</FieldError>
      <div className={inline ? 'radio-group radio-group-inline' : 'radio-group'}>
        {options.map((o) => (
          <div className={`radio-item${o.isDisabled ? ' radio-item-disabled' : ''}`} key={o.value}>
            <Radio
              value={o.value}
              className="radio"
              isDisabled={o.isDisabled}
              aria-describedby={o.hint ? `${id}-${o.value}-hint` : undefined}
            >
              <span className="radio-label">{o.label}</span>
            </Radio>
            {o.hint && (
              <div className="radio-hint hint" id={`${id}-${o.value}-hint`}>
                {o.hint}
              </div>
            )}
          </div>
        ))}
      </div>
    </RadioGroup>
  );
}
