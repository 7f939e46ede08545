// A labelled text input with hint and error, built on react-aria-components.
import { FieldError, Input, Label, Text, TextField } from 'react-aria-components';

export function Field({
  name,
  label,
  hint,
  error,
  value,
  onChange,
  type = 'text',
  autoComplete,
  inputMode,
  isRequired = false,
  maxLength,
  width,
}: {
  name: string;
  label: string;
  hint?: string;
  error?: string;
  value: string;
  onChange(v: string): void;
  type?: 'text' | 'email' | 'password' | 'tel' | 'date';
  autoComplete?: string;
  inputMode?: 'numeric' | 'tel' | 'email' | 'text';
  isRequired?: boolean;
  maxLength?: number;
  width?: 'short' | 'medium';
}) {
  return (
    <TextField
      className={`field${error ? ' field-invalid' : ''}`}
      name={name}
      value={value}
      onChange={onChange}
      type={type}
      autoComplete={autoComplete}
      inputMode={inputMode}
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
      <Input id={name} className={width ? `input input-${width}` : 'input'} />
    </TextField>
  );
}
