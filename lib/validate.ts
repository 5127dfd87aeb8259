import { ExportValidationError } from './errors.js';

/** Checks an option that counts something (concurrency, window…). */
export function positiveInteger(value: number, field: string): number {
  if (!Number.isInteger(value) || value < 1) {
    throw new ExportValidationError(`${field} must be a positive integer, got ${String(value)}`, field);
  }
  return value;
}

/** Checks an option that must be a non-blank string (export name…). */
export function nonBlank(value: string, field: string): string {
  if (typeof value !== 'string' || value.trim() === '') {
    throw new ExportValidationError(`${field} must not be blank`, field);
  }
  return value;
}

/** Checks an option that counts something and may be zero (retries, allowed errors…). */
export function nonNegativeInteger(value: number, field: string): number {
  if (!Number.isInteger(value) || value < 0) {
    throw new ExportValidationError(`${field} must be a whole number of at least 0, got ${String(value)}`, field);
  }
  return value;
}
