// The patient of a pushed appointment: the clinic register's row with the same СНИЛС (else
// the same полис) when every part of the identity agrees, a new register row when clinics
// do not know the person yet, and PATIENT_IDENTITY_MISMATCH when the records disagree.
import type { Db } from '../../../db/index.js';
import { AppError } from '../../../errors.js';
import { findRegisterClash } from '../patients.repository.js';
import { ensureRegisterPatient } from '../patients.service.js';
import { sameIdentity } from './integration.rules.js';
import type { PersonIdentity } from '../../../../shared/person.js';

/** The register patient's id to book with; run inside the push's transaction. */
export async function resolvePushedPatient(tx: Db, identity: PersonIdentity, now: Date): Promise<string> {
  const known = await findRegisterClash(tx, identity.snils, identity.policy);
  if (known) {
    if (!sameIdentity(known, identity)) throw new AppError('PATIENT_IDENTITY_MISMATCH');
    return known.id;
  }
  return ensureRegisterPatient(tx, identity, now);
}
