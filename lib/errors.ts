/**
 * Typed errors with stable codes. Every error the library raises or records is one of these, so
 * callers branch on `code`, never on message text.
 */

/** Stable error codes. Add new ones at the end; never rename one that has shipped. */
export const ErrorCode = {
  /** A library option or CLI flag has a bad value. */
  INVALID_OPTION: 'ERR_INVALID_OPTION',
  /** The input file or folder cannot be read. */
  INPUT_UNREADABLE: 'ERR_INPUT_UNREADABLE',
  /** A line or element of the input is not valid JSON, or the document is cut short. */
  SOURCE_PARSE: 'ERR_SOURCE_PARSE',
  /** An input element is not an export item (not an object, or `id` missing). */
  ITEM_INVALID: 'ERR_ITEM_INVALID',
  /** The output directory cannot be created or written. */
  OUTPUT_UNWRITABLE: 'ERR_OUTPUT_UNWRITABLE',
  /** The export was cancelled through its AbortSignal. */
  ABORTED: 'ERR_ABORTED',
  /** A hook (beforeConvert, convertData, afterConvert…) threw for one item. */
  HOOK_FAILED: 'ERR_HOOK_FAILED',
  /** An item's `data` is null, so there is nothing to write (the reference's `data is Null`). */
  NULL_DATA: 'ERR_NULL_DATA',
  /** An item's file descriptor has neither a usable `path` nor `url`. */
  FILE_UNRESOLVED: 'ERR_FILE_UNRESOLVED',
  /** A local original file could not be read or copied. */
  FILE_COPY_FAILED: 'ERR_FILE_COPY_FAILED',
  /** A download answered with a status other than 2xx. */
  DOWNLOAD_STATUS: 'ERR_DOWNLOAD_STATUS',
  /** A download did not finish within its timeout. */
  DOWNLOAD_TIMEOUT: 'ERR_DOWNLOAD_TIMEOUT',
  /** A download failed on the network (refused, reset, DNS…). */
  DOWNLOAD_NETWORK: 'ERR_DOWNLOAD_NETWORK',
  /** A URL's scheme is not one the downloader fetches. */
  URL_UNSUPPORTED: 'ERR_URL_UNSUPPORTED',
  /** Writing an output file failed. */
  WRITE_FAILED: 'ERR_WRITE_FAILED',
  /** `additionalFileSaving` or another flush step failed; the export is left without a manifest. */
  FLUSH_FAILED: 'ERR_FLUSH_FAILED',
  /** A path given to the export output would leave the export directory. */
  PATH_OUTSIDE_EXPORT: 'ERR_PATH_OUTSIDE_EXPORT',
  /** More items failed than the error policy (`maxErrors`, `--fail-fast`) allows. */
  TOO_MANY_ERRORS: 'ERR_TOO_MANY_ERRORS',
  /** `resume` was given a folder that is not an interrupted export. */
  RESUME_REFUSED: 'ERR_RESUME_REFUSED',
  /** The disk (or quota) holding the export is full; the export stops and can be resumed. */
  NO_SPACE: 'ERR_NO_SPACE',
  /** The export directory disappeared while the export ran. */
  OUTPUT_GONE: 'ERR_OUTPUT_GONE',
  /** A request to the Synapse backend failed (status, timeout, connection, bad body). */
  BACKEND_REQUEST: 'ERR_BACKEND_REQUEST',
  /** Export params failed validation; the error carries `{field: [messages]}`. */
  PARAMS_INVALID: 'ERR_PARAMS_INVALID',
  /** No handler is registered for the requested export target. */
  TARGET_UNKNOWN: 'ERR_TARGET_UNKNOWN',
  /** The storage's provider is not supported, or its configuration is incomplete. */
  STORAGE_UNSUPPORTED: 'ERR_STORAGE_UNSUPPORTED',
  /** Uploading the export to its storage failed. */
  STORAGE_UPLOAD_FAILED: 'ERR_STORAGE_UPLOAD_FAILED',
  /** A plugin folder, its config.yaml or its entrypoint is missing or invalid. */
  PLUGIN_INVALID: 'ERR_PLUGIN_INVALID',
  /** A format needs an item's image size and it is neither in the document nor readable from the media header, or is zero. */
  IMAGE_SIZE_UNKNOWN: 'ERR_IMAGE_SIZE_UNKNOWN',
  /** An item's DM document does not have the shape of DM v1 or v2 (`validateDm`). */
  DM_INVALID: 'ERR_DM_INVALID',
  /** A format cannot start: it needs a class list the source cannot give (a stream read once). */
  CLASSES_UNKNOWN: 'ERR_CLASSES_UNKNOWN',
  /** Writing a zip archive failed; its `.partial` files were removed. */
  ARCHIVE_FAILED: 'ERR_ARCHIVE_FAILED',
  /** A zip archive or export folder given to `verify` cannot be read (truncated, not a zip, no manifest). */
  ARCHIVE_INVALID: 'ERR_ARCHIVE_INVALID',
  /** By-id naming: an item's name differs from the one its plan was made from, or the source cannot be read twice to plan. */
  NAME_PLAN_MISMATCH: 'ERR_NAME_PLAN_MISMATCH',
  /** A sharded export cannot go on: a shard is missing, a plan unreadable, or the queue unreachable. */
  SHARD_FAILED: 'ERR_SHARD_FAILED',
} as const;

export type ErrorCodeValue = (typeof ErrorCode)[keyof typeof ErrorCode];

export interface ExportErrorOptions {
  /** One of `ErrorCode`, or a plugin's own code. */
  code?: ErrorCodeValue | (string & {});
  /** The export item the error is about, when there is one. */
  itemId?: string | number;
  /** The file (input or output) the error is about, when there is one. */
  fileName?: string;
  cause?: unknown;
}

/** Base of every error this library raises or records. */
export class ExportError extends Error {
  readonly code: ErrorCodeValue | string;
  readonly itemId?: string | number;
  readonly fileName?: string;

  constructor(message: string, options: ExportErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'ExportError';
    this.code = options.code ?? 'ERR_EXPORT';
    if (options.itemId !== undefined) this.itemId = options.itemId;
    if (options.fileName !== undefined) this.fileName = options.fileName;
  }
}

/** Bad parameters or options; `field` names the one at fault. */
export class ExportValidationError extends ExportError {
  readonly field: string;

  constructor(message: string, field: string, options: ExportErrorOptions = {}) {
    super(message, { code: ErrorCode.INVALID_OPTION, ...options });
    this.name = 'ExportValidationError';
    this.field = field;
  }
}

/** A failure specific to one export target (assignment, ground_truth, task). */
export class ExportTargetError extends ExportError {
  readonly target: string;

  constructor(message: string, target: string, options: ExportErrorOptions = {}) {
    super(message, options);
    this.name = 'ExportTargetError';
    this.target = target;
  }
}

/** A failed download; `status` is the HTTP status when the server answered. */
export class DownloadError extends ExportError {
  readonly status?: number;
  /** Whether trying again may succeed (5xx, timeouts, connection errors). */
  readonly retryable: boolean;

  constructor(
    message: string,
    options: ExportErrorOptions & { status?: number; retryable: boolean },
  ) {
    super(message, options);
    this.name = 'DownloadError';
    if (options.status !== undefined) this.status = options.status;
    this.retryable = options.retryable;
  }
}

/** The message of anything thrown, for error lists and logs. */
export function messageOf(error: unknown): string {
  if (error instanceof Error) return error.message;
  return String(error);
}

/** The stable code of anything thrown: ours, Node's (`ENOENT`…), or a generic one. */
export function codeOf(error: unknown): string {
  if (error !== null && typeof error === 'object' && 'code' in error) {
    const code = (error as { code: unknown }).code;
    if (typeof code === 'string') return code;
  }
  return 'ERR_EXPORT';
}
