import { ExportError } from '../errors.js';
import type { ExportResult } from './execute-export.js';

/**
 * An export that stopped before its end (cancelled, too many failed items, a broken sink or
 * flush). Its directory holds what was saved, the error list and a manifest with
 * `complete: false`; `result` says where and how far it got. `code` is the cause's code.
 */
export class ExportIncompleteError extends ExportError {
  readonly result: ExportResult;

  constructor(cause: ExportError, result: ExportResult) {
    super(`${cause.message}; the export at ${result.uniqueExportPath} is incomplete`, { code: cause.code, cause });
    this.name = 'ExportIncompleteError';
    this.result = result;
  }
}
