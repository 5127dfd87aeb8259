/**
 * Download of one URL to one file: streamed (never buffered whole), hashed on the way, written to a
 * temp file beside the destination and renamed into place, so the final name only ever holds a
 * complete body. Transient failures are retried with exponential backoff.
 */

import { createHash, randomBytes } from 'node:crypto';
import { open, rename, rm } from 'node:fs/promises';
import { setTimeout as delay } from 'node:timers/promises';

import { DownloadError, ErrorCode, ExportError, messageOf } from '../errors.js';
import type { WrittenFile } from '../output/file-ops.js';
import { redactUrl } from '../redact.js';

export interface DownloadOptions {
  /** Per attempt: from request start until the body is fully written. Default 30_000. */
  timeoutMs?: number;
  /** Extra attempts after the first for retryable failures (5xx, timeouts, connection errors). Default 3. */
  retries?: number;
  /** First retry delay; doubles each retry, with +-20% jitter. Default 250. */
  backoffMs?: number;
  signal?: AbortSignal;
}


/** Statuses worth another try: overload, rate limiting and gateway trouble. */
const RETRYABLE_STATUSES = new Set([429, 500, 502, 503, 504]);

/**
 * Downloads `url` (http or https, redirects followed) to `destination`.
 * Rejects with a `DownloadError` (codes DOWNLOAD_STATUS, DOWNLOAD_TIMEOUT, DOWNLOAD_NETWORK,
 * URL_UNSUPPORTED, WRITE_FAILED) once retries are spent, or with an `ExportError` code ABORTED as
 * soon as `options.signal` aborts. On failure no file is left behind, not even the temp file.
 */
export async function downloadToFile(
  url: string,
  destination: string,
  options: DownloadOptions = {},
): Promise<WrittenFile> {
  const { timeoutMs = 30_000, retries = 3, backoffMs = 250, signal } = options;
  const shown = redactUrl(url);
  assertFetchable(url, shown);

  for (let attempt = 0; ; attempt++) {
    if (signal?.aborted) throw abortedError(shown, signal.reason);
    try {
      return await attemptDownload(url, shown, destination, timeoutMs, signal);
    } catch (error) {
      const retryable = error instanceof DownloadError && error.retryable;
      if (!retryable || attempt >= retries) throw error;
    }
    await backoff(backoffMs * 2 ** attempt, shown, signal);
  }
}

function assertFetchable(url: string, shown: string): void {
  let protocol: string;
  try {
    protocol = new URL(url).protocol;
  } catch {
    throw new DownloadError(`Cannot download ${shown}: not a valid absolute URL`, {
      code: ErrorCode.URL_UNSUPPORTED,
      retryable: false,
    });
  }
  if (protocol !== 'http:' && protocol !== 'https:') {
    throw new DownloadError(
      `Cannot download ${shown}: scheme "${protocol}" is not supported (only http: and https:)`,
      { code: ErrorCode.URL_UNSUPPORTED, retryable: false },
    );
  }
}

/** One request, with its own timeout covering headers and body alike. */
async function attemptDownload(
  url: string,
  shown: string,
  destination: string,
  timeoutMs: number,
  signal: AbortSignal | undefined,
): Promise<WrittenFile> {
  // One controller stops the request for either reason; `timedOut` tells the two apart later.
  const controller = new AbortController();
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    controller.abort();
  }, timeoutMs);
  const onAbort = (): void => controller.abort();
  signal?.addEventListener('abort', onAbort, { once: true });
  // Same directory as the destination, so the final rename is atomic (no cross-device copy).
  const tempPath = `${destination}.${randomBytes(6).toString('hex')}.partial`;

  try {
    const { href, headers } = withoutCredentials(url);
    const response = await fetch(href, { redirect: 'follow', signal: controller.signal, headers });
    if (!response.ok) {
      // Release the connection; the error body is of no use.
      await response.body?.cancel().catch(() => undefined);
      throw new DownloadError(
        `Download of ${shown} failed: HTTP ${response.status} ${response.statusText}`.trimEnd(),
        {
          code: ErrorCode.DOWNLOAD_STATUS,
          status: response.status,
          retryable: RETRYABLE_STATUSES.has(response.status),
        },
      );
    }

    const written = await writeBody(response.body, tempPath, shown);
    const expected = expectedLength(response.headers);
    if (expected !== undefined && written.size !== expected) {
      throw new DownloadError(
        `Download of ${shown} failed: body truncated (${written.size} of ${expected} bytes received)`,
        { code: ErrorCode.DOWNLOAD_NETWORK, retryable: true },
      );
    }
    await rename(tempPath, destination).catch((error: unknown) => {
      throw writeFailed(shown, destination, error);
    });
    return written;
  } catch (error) {
    await rm(tempPath, { force: true });
    throw classify(error, shown, timeoutMs, timedOut, signal);
  } finally {
    clearTimeout(timer);
    signal?.removeEventListener('abort', onAbort);
  }
}

/**
 * Streams the body into a new file, hashing as it goes. File-system failures are raised as
 * WRITE_FAILED here, so anything else escaping this function is the network's doing.
 */
async function writeBody(
  body: ReadableStream<Uint8Array> | null,
  tempPath: string,
  shown: string,
): Promise<WrittenFile> {
  const hash = createHash('sha256');
  let size = 0;
  // `wx`: never clobber a file we did not create.
  const file = await open(tempPath, 'wx').catch((error: unknown) => {
    throw writeFailed(shown, tempPath, error);
  });
  try {
    if (body !== null) {
      for await (const chunk of body) {
        hash.update(chunk);
        size += chunk.byteLength;
        // Awaiting each write is the backpressure: the next chunk is read only once this one is on
        // disk. `writeFile` on a handle appends at the current position and loops over short writes.
        await file.writeFile(chunk).catch((error: unknown) => {
          throw writeFailed(shown, tempPath, error);
        });
      }
    }
  } finally {
    await file.close();
  }
  return { size, sha256: hash.digest('hex') };
}

/**
 * The Content-Length the body must match, if checkable. With a Content-Encoding, fetch decodes
 * the body and the header counts encoded bytes, so the comparison would be meaningless.
 */
/**
 * fetch refuses URLs that carry `user:password@`; such URLs are sent with the credentials as an
 * HTTP Basic `Authorization` header instead, as curl and browsers do.
 */
function withoutCredentials(url: string): { href: string; headers: Record<string, string> } {
  const parsed = new URL(url);
  if (parsed.username === '' && parsed.password === '') return { href: url, headers: {} };
  const credentials = `${decodeURIComponent(parsed.username)}:${decodeURIComponent(parsed.password)}`;
  parsed.username = '';
  parsed.password = '';
  return { href: parsed.href, headers: { authorization: `Basic ${Buffer.from(credentials).toString('base64')}` } };
}

function expectedLength(headers: Headers): number | undefined {
  const header = headers.get('content-length');
  if (header === null || headers.has('content-encoding')) return undefined;
  const length = Number(header);
  return Number.isSafeInteger(length) && length >= 0 ? length : undefined;
}

/** Turns whatever an attempt threw into the error the caller sees. */
function classify(
  error: unknown,
  shown: string,
  timeoutMs: number,
  timedOut: boolean,
  signal: AbortSignal | undefined,
): ExportError {
  // The caller's abort wins over anything it caused downstream.
  if (signal?.aborted) return abortedError(shown, signal.reason);
  if (error instanceof ExportError) return error;
  if (timedOut) {
    return new DownloadError(
      `Download of ${shown} timed out after ${timeoutMs} ms; the server is slow or unreachable (raise timeoutMs for large files)`,
      { code: ErrorCode.DOWNLOAD_TIMEOUT, retryable: true, cause: error },
    );
  }
  return new DownloadError(`Download of ${shown} failed: network error (${networkDetail(error)})`, {
    code: ErrorCode.DOWNLOAD_NETWORK,
    retryable: true,
    cause: error,
  });
}

/**
 * The most specific reason undici gives. Its errors are `TypeError('fetch failed' | 'terminated')`
 * with the system error as `cause`; prefer the cause's code and message, which name no URL.
 */
function networkDetail(error: unknown): string {
  const cause = error instanceof Error && error.cause instanceof Error ? error.cause : error;
  const code = (cause as { code?: unknown } | null)?.code;
  // Belt and braces: should a message ever quote a URL (a redirect target, say), redact it too.
  const message = messageOf(cause).replace(/\bhttps?:\/\/[^\s'"<>]+/g, redactUrl);
  return typeof code === 'string' && !message.includes(code) ? `${code}: ${message}` : message;
}

function writeFailed(shown: string, path: string, error: unknown): DownloadError {
  return new DownloadError(`Download of ${shown} could not be saved: ${messageOf(error)}`, {
    code: ErrorCode.WRITE_FAILED,
    fileName: path,
    retryable: false,
    cause: error,
  });
}

function abortedError(shown: string, reason: unknown): ExportError {
  return new ExportError(`Download of ${shown} was aborted`, {
    code: ErrorCode.ABORTED,
    cause: reason,
  });
}

/** Waits `baseMs` +-20% before the next attempt, cut short by an abort. */
async function backoff(baseMs: number, shown: string, signal: AbortSignal | undefined): Promise<void> {
  const ms = baseMs * (0.8 + 0.4 * Math.random());
  try {
    await delay(ms, undefined, signal === undefined ? {} : { signal });
  } catch {
    // `delay` only rejects when the signal aborts.
    throw abortedError(shown, signal?.reason);
  }
}
