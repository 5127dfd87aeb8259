import { setTimeout as sleep } from 'node:timers/promises';
import { messageOf } from '../../errors.js';
import { redactUrl } from '../../redact.js';
import { ClientError, RETRYABLE_STATUSES } from './client-error.js';
import { resolveClientOptions, type BackendClientOptions, type ResolvedClientOptions } from './client-options.js';
import { paginate, type Page } from './paginate.js';

/** Query parameters; arrays repeat the key (`expand=a&expand=b`), as Python's requests does. */
export type QueryParams = Record<string, unknown>;

/** A whole listing: the server's count (from page 1) and every item, fetched lazily. */
export interface Listing<T> {
  count: number;
  results: AsyncIterable<T>;
}

export type JsonObject = Record<string, unknown>;

interface RequestOptions {
  params?: QueryParams | undefined;
  body?: unknown;
  signal?: AbortSignal | undefined;
}

const MAX_REDIRECTS = 5;

/**
 * The Synapse backend API on Node's fetch: the endpoints the export action needs, with timeouts,
 * retries with exponential backoff on 502/503/504 and connection failures, and typed
 * `ClientError`s. The token goes only into request headers, and only to the backend's own origin
 * (a `next` link or redirect elsewhere is refused); messages name the method and path alone.
 */
export class BackendClient {
  readonly options: ResolvedClientOptions;

  constructor(options: BackendClientOptions = {}) {
    this.options = resolveClientOptions(options);
  }

  /** `GET storages/{id}/?with_configuration=True`: provider and configuration of a storage. */
  getStorage(id: number | string): Promise<JsonObject> {
    return this.get(`storages/${encodeURIComponent(String(id))}/`, { with_configuration: 'True' });
  }

  getProject(id: number | string): Promise<JsonObject> {
    return this.get(`projects/${encodeURIComponent(String(id))}/`);
  }

  getGroundTruthVersion(id: number | string): Promise<JsonObject> {
    return this.get(`ground_truth_dataset_versions/${encodeURIComponent(String(id))}/`);
  }

  /** One page of assignments with the caller's params (the reference's validation probe). */
  listAssignmentsPage(params: QueryParams): Promise<Page<JsonObject>> {
    return this.request<Page<JsonObject>>('GET', 'sdk/assignments/', { params });
  }

  listTasksPage(params: QueryParams): Promise<Page<JsonObject>> {
    return this.request<Page<JsonObject>>('GET', 'sdk/tasks/', { params });
  }

  listAssignments(params: QueryParams): Promise<Listing<JsonObject>> {
    return this.listAll('sdk/assignments/', params);
  }

  listTasks(params: QueryParams): Promise<Listing<JsonObject>> {
    return this.listAll('sdk/tasks/', params);
  }

  listGroundTruthEvents(params: QueryParams): Promise<Listing<JsonObject>> {
    return this.listAll('sdk/ground_truth_events/', params);
  }

  /** Stores progress, metrics or the result on a job: `PATCH jobs/{id}/`. */
  updateJob(jobId: string | number, data: JsonObject): Promise<JsonObject> {
    return this.request('PATCH', `jobs/${encodeURIComponent(String(jobId))}/`, { body: data });
  }

  /** `POST logs/` with a batch of log records. */
  createLogs(records: readonly JsonObject[]): Promise<unknown> {
    return this.request('POST', 'logs/', { body: records });
  }

  get(path: string, params?: QueryParams): Promise<JsonObject> {
    return this.request('GET', path, { params });
  }

  /**
   * Every item of a listing (or of the client's `pages` only). Its first page is fetched once,
   * with `page_size`, and gives the count; the rest are fetched by following `next` while the
   * caller reads (see `paginate`), up to the last page asked for. The caller's params object is
   * not modified.
   */
  async listAll<T = JsonObject>(path: string, params: QueryParams = {}): Promise<Listing<T>> {
    const range = this.options.pages;
    let page = range?.first ?? 1;
    const first = await this.request<Page<T>>('GET', path, { params: { ...params, page_size: this.options.pageSize, ...(page > 1 ? { page } : {}) } });
    // The page after the range's last is never asked for: the walk ends there.
    const withinRange = (one: Page<T>): Page<T> => (range !== undefined && page >= range.last ? { ...one, next: null } : one);
    return {
      count: checkPage(first, path).count,
      results: paginate(
        withinRange(first),
        async (url, signal) => {
          const next = checkPage(await this.request<Page<T>>('GET', url, { signal }), path);
          page += 1;
          return withinRange(next);
        },
        this.options.prefetchPages,
      ),
    };
  }

  /** One request with retries; resolves with the parsed JSON body (or null for an empty one). */
  async request<T = JsonObject>(method: string, pathOrUrl: string, options: RequestOptions = {}): Promise<T> {
    const url = this.resolve(pathOrUrl, options.params);
    const { retries, backoffMs } = this.options;
    for (let attempt = 0; ; attempt += 1) {
      try {
        return (await this.attempt(method, url, options)) as T;
      } catch (error) {
        const failure = error instanceof ClientError ? error : this.describe(method, url, error);
        if (!failure.retryable || attempt >= retries || options.signal?.aborted) throw failure;
        await sleep(backoffMs * 2 ** attempt, undefined, { signal: options.signal }).catch(() => undefined);
      }
    }
  }

  private async attempt(method: string, url: URL, options: RequestOptions): Promise<unknown> {
    const signals = [AbortSignal.timeout(this.options.timeoutMs)];
    if (options.signal) signals.push(options.signal);
    const signal = AbortSignal.any(signals);
    let target = url;
    for (let hop = 0; ; hop += 1) {
      const response = await fetch(target, {
        method,
        headers: this.headers(options.body !== undefined),
        body: options.body === undefined ? undefined : JSON.stringify(options.body),
        redirect: 'manual',
        signal,
      });
      if (response.status >= 300 && response.status < 400 && response.headers.has('location')) {
        await response.body?.cancel();
        target = new URL(response.headers.get('location')!, target);
        this.checkOrigin(target, method);
        if (hop >= MAX_REDIRECTS) throw new ClientError(`${method} ${this.show(url)}: too many redirects`, { status: response.status, retryable: false });
        continue;
      }
      const text = await response.text();
      if (!response.ok) {
        const body = response.status === 400 ? parseOrText(text) : undefined;
        throw new ClientError(`${method} ${this.show(url)} answered ${response.status} ${response.statusText}`.trim(), {
          status: response.status,
          body,
          retryable: RETRYABLE_STATUSES.has(response.status),
        });
      }
      if (text === '') return null;
      try {
        return JSON.parse(text);
      } catch (cause) {
        // A body cut short by a proxy or a dying worker: the reference's chunked workaround
        // skipped such pages (data loss); here the page is fetched again.
        throw new ClientError(`${method} ${this.show(url)}: the response body is not valid JSON (cut short?)`, { status: 502, retryable: true, cause });
      }
    }
  }

  /** A thrown fetch failure as a ClientError: timeouts 408, everything on the wire 503. */
  private describe(method: string, url: URL, error: unknown): ClientError {
    const name = (error as { name?: string } | null)?.name;
    if (name === 'TimeoutError') {
      return new ClientError(`${method} ${this.show(url)}: no complete answer within ${this.options.timeoutMs} ms`, { status: 408, retryable: true, cause: error });
    }
    if (name === 'AbortError') {
      return new ClientError(`${method} ${this.show(url)}: cancelled`, { status: 499, retryable: false, cause: error });
    }
    const cause = (error as { cause?: { code?: string; message?: string } } | null)?.cause;
    const reason = cause?.code === 'ECONNREFUSED' ? 'connection refused' : cause?.code === 'ENOTFOUND' ? 'host unreachable' : `connection error: ${cause?.message ?? messageOf(error)}`;
    return new ClientError(`${method} ${this.show(url)}: ${reason}`, { status: 503, retryable: true, cause: error });
  }

  private resolve(pathOrUrl: string, params: QueryParams | undefined): URL {
    const url = new URL(pathOrUrl.replace(/^\/+/, ''), this.options.baseUrl);
    this.checkOrigin(url, 'GET');
    for (const [key, value] of Object.entries(params ?? {})) {
      if (value === undefined || value === null) continue;
      for (const one of Array.isArray(value) ? value : [value]) url.searchParams.append(key, String(one));
    }
    return url;
  }

  /** The token must never leave for another host, whatever a `next` link or redirect says. */
  private checkOrigin(url: URL, method: string): void {
    if (url.origin !== this.options.baseUrl.origin) {
      throw new ClientError(`${method} ${this.show(url)}: refusing to send credentials to another origin than ${this.options.baseUrl.origin}`, { status: 400, retryable: false });
    }
  }

  private headers(hasBody: boolean): Record<string, string> {
    const headers: Record<string, string> = { accept: 'application/json' };
    if (hasBody) headers['content-type'] = 'application/json';
    if (this.options.token !== undefined) headers['synapse-access-token'] = `Token ${this.options.token}`;
    if (this.options.tenant !== undefined) headers['synapse-tenant'] = this.options.tenant;
    return headers;
  }

  /** A URL as messages show it: query values redacted. */
  private show(url: URL): string {
    return redactUrl(url.href);
  }
}

function parseOrText(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

function checkPage<T>(page: Page<T>, path: string): Page<T> {
  if (page === null || typeof page !== 'object' || !Array.isArray(page.results) || typeof page.count !== 'number') {
    throw new ClientError(`GET ${path}: the answer is not a paginated list ({count, next, results})`, { status: 502, retryable: false });
  }
  return page;
}
