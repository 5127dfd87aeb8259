import { ErrorCode, ExportError } from '../../errors.js';

/**
 * A failed backend request. `status` is the HTTP status, or the reference's stand-ins for
 * failures without one: 408 for a timeout, 503 for a connection failure, 502 for a body that is
 * cut short or not JSON. The message names the method and path, never the token.
 */
export class ClientError extends ExportError {
  readonly status: number;
  /** The response body for a 400 (the backend's field errors), else undefined. */
  readonly body?: unknown;
  /** Whether the request may succeed if tried again. */
  readonly retryable: boolean;

  constructor(message: string, options: { status: number; body?: unknown; retryable: boolean; cause?: unknown }) {
    super(message, { code: ErrorCode.BACKEND_REQUEST, cause: options.cause });
    this.name = 'ClientError';
    this.status = options.status;
    if (options.body !== undefined) this.body = options.body;
    this.retryable = options.retryable;
  }
}

/** Statuses worth a retry, as the reference's urllib3 `Retry(status_forcelist=…)`. */
export const RETRYABLE_STATUSES: ReadonlySet<number> = new Set([502, 503, 504]);
