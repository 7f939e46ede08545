// The state of a form's save: busy, the errors (client checks or the server's answer), and a
// runner that turns a thrown ApiError into per-field messages for the error summary.
import { useState } from 'react';
import { errorsFromApi, errorsFromFields, noErrors, type FormErrors } from '../patient/formErrors.js';

export function useSave() {
  const [errors, setErrors] = useState<FormErrors>(noErrors);
  const [busy, setBusy] = useState(false);
  return {
    errors,
    busy,
    /** Shows client-side field messages without calling the server. */
    refuse(fields: Record<string, string>) {
      setErrors((e) => errorsFromFields(fields, e));
    },
    /** Runs the save; returns true when it succeeded. */
    async run(work: () => Promise<void>): Promise<boolean> {
      setBusy(true);
      try {
        await work();
        setErrors(noErrors);
        return true;
      } catch (e) {
        setErrors((prev) => errorsFromApi(e, prev));
        return false;
      } finally {
        setBusy(false);
      }
    },
  };
}
