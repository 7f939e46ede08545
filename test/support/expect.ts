// Assertions shared by the integration tests.
import { expect } from 'vitest';
import { errorCatalogue, type ErrorCode } from '../../src/server/errors.js';

/** The answer is the catalogue's error: its status, its code and its Russian message. */
export function expectError(res: { status: number; body: unknown }, status: number, code: ErrorCode): void {
  expect(res.status, JSON.stringify(res.body)).toBe(status);
  expect(res.body).toMatchObject({ code, message: errorCatalogue[code].message });
}
