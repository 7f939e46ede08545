// A labelled multi-line text field with hint and error, built on react-aria-components.
import type { RefObject } from 'react';
import { FieldError, Label, Text, TextArea, TextField } from 'react-aria-components';

export function TextAreaField({
  name,
  label,
  hint,
  error,
  value,
  onChange,
  isRequired = false,
  maxLength,
  rows = 4,
  inputRef,
}: {
  name: string;
  label: string;
  hint?: string;
  error?: string;
  value: string;
  onChange(v: string): void;
  isRequired?: boolean;
  maxLength?: number;
  rows?: number;
  inputRef?: RefObject<HTMLTextAreaElement | null>;
}) {
  return (
    <TextField
      className={`field${error ? ' field-invalid' : ''}`}
      name={name}
      value={value}
      onChange={onChange}
      isRequired={isRequired}
      isInvalid={Boolean(error)}
      maxLength={maxLength}
      validationBehavior="aria"
    >
      <Label>
        {label}
        {!isRequired && <span className="optional"> (необязательно)</span>}
      </Label>
      {hint && (
        <Text slot="description" className="hint">
          {hint}
        </Text>
      )}
      <FieldError className="field-error">{error}</FieldError>
      <TextArea id={name} ref={inputRef} rows={rows} className="textarea" />
    </TextField>
  );
}
