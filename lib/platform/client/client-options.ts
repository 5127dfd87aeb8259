import { ErrorCode, ExportError } from '../../errors.js';

export interface BackendClientOptions {
  /** Base URL of the backend API, e.g. `https://api.example.com/`. Env: `SYNAPSE_HOST`. */
  host?: string;
  /** Access token, sent as `Synapse-Access-Token: Token <token>`. Env: `SYNAPSE_ACCESS_TOKEN`. */
  token?: string;
  /** Tenant code, sent as `Synapse-Tenant: <tenant>` when set. Env: `SYNAPSE_TENANT`. */
  tenant?: string;
  /** Per-attempt time limit for a whole request (headers and body). Default 15000 ms. */
  timeoutMs?: number;
  /** Retries after 502/503/504, timeouts, connection errors and cut-short bodies. Default 3. */
  retries?: number;
  /** First retry delay; doubles each time. Default 1000 ms (the reference's backoff_factor=1). */
  backoffMs?: number;
  /** Items per page when listing everything. Default 100. */
  pageSize?: number;
  /** Pages fetched ahead of the one being read. Default 2. */
  prefetchPages?: number;
  /** Read only pages `first`…`last` (1-based, inclusive) of every listing: one shard of a sharded export. Default: all. */
  pages?: PageRange;
}

/** A contiguous run of a listing's pages, 1-based and inclusive. */
export interface PageRange {
  first: number;
  last: number;
}

export interface ResolvedClientOptions {
  baseUrl: URL;
  token: string | undefined;
  tenant: string | undefined;
  timeoutMs: number;
  retries: number;
  backoffMs: number;
  pageSize: number;
  prefetchPages: number;
  pages: PageRange | undefined;
}

/**
 * Options given win over the environment. `SYNAPSE_PLUGIN_RUN_HOST`, `…_USER_TOKEN` and
 * `…_TENANT`, the names the reference's job runner sets, are read when the short names are absent.
 */
export function resolveClientOptions(options: BackendClientOptions = {}, env: NodeJS.ProcessEnv = process.env): ResolvedClientOptions {
  const host = options.host ?? env.SYNAPSE_HOST ?? env.SYNAPSE_PLUGIN_RUN_HOST;
  if (host === undefined || host === '') {
    throw new ExportError('No Synapse backend host: pass `host` or set SYNAPSE_HOST', { code: ErrorCode.INVALID_OPTION });
  }
  let baseUrl: URL;
  try {
    // A trailing slash makes relative paths such as `sdk/tasks/` land under the base path.
    baseUrl = new URL(host.endsWith('/') ? host : `${host}/`);
  } catch (cause) {
    throw new ExportError(`SYNAPSE_HOST is not a URL: ${host}`, { code: ErrorCode.INVALID_OPTION, cause });
  }
  return {
    baseUrl,
    token: options.token ?? nonEmpty(env.SYNAPSE_ACCESS_TOKEN) ?? nonEmpty(env.SYNAPSE_PLUGIN_RUN_USER_TOKEN),
    tenant: options.tenant ?? nonEmpty(env.SYNAPSE_TENANT) ?? nonEmpty(env.SYNAPSE_PLUGIN_RUN_TENANT),
    timeoutMs: options.timeoutMs ?? 15_000,
    retries: options.retries ?? 3,
    backoffMs: options.backoffMs ?? 1_000,
    pageSize: options.pageSize ?? 100,
    prefetchPages: options.prefetchPages ?? 2,
    pages: options.pages,
  };
}

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value === '' ? undefined : value;
}
