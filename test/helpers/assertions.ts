import { expect } from 'vitest';
import { ExportError } from '../../lib/errors.js';

/** The rejection of `promise`, failing the test if it resolves or rejects with something untyped. */
export async function rejectionOf(promise: Promise<unknown>): Promise<ExportError> {
  const outcome = await promise.then(
    () => undefined,
    (error: unknown) => error,
  );
  expect(outcome).toBeInstanceOf(ExportError);
  return outcome as ExportError;
}
