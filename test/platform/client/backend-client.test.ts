import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { BackendClient, ClientError } from '../../../lib/platform/client/index.js';
import { StandInBackend } from '../fixtures/stand-in-backend.js';
import { collect } from '../../helpers/collect.js';

const TOKEN = 'secret-token-123';
let backend: StandInBackend;

beforeEach(async () => {
  backend = await new StandInBackend({ token: TOKEN, groundTruthVersions: { 5: { count: 250, project: 7 } }, storages: { 1: { id: 1 } } }).start();
});
afterEach(() => backend.stop());

function client(options: ConstructorParameters<typeof BackendClient>[0] = {}): BackendClient {
  return new BackendClient({ host: backend.url, token: TOKEN, backoffMs: 1, ...options });
}

describe('BackendClient', () => {
  it('reads host, token and tenant from the environment and sends them as headers', async () => {
    const saved = { ...process.env };
    try {
      process.env.SYNAPSE_HOST = backend.url;
      process.env.SYNAPSE_ACCESS_TOKEN = TOKEN;
      process.env.SYNAPSE_TENANT = 'acme';
      await new BackendClient({ backoffMs: 1 }).getStorage(1);
      const request = backend.requestsTo('storages/1/')[0]!;
      expect(request.headers['synapse-access-token']).toBe(`Token ${TOKEN}`);
      expect(request.headers['synapse-tenant']).toBe('acme');
      expect(request.query.get('with_configuration')).toBe('True');
    } finally {
      process.env = saved;
    }
  });

  it('fails clearly without a host', () => {
    const saved = { ...process.env };
    try {
      delete process.env.SYNAPSE_HOST;
      delete process.env.SYNAPSE_PLUGIN_RUN_HOST;
      expect(() => new BackendClient()).toThrow(/SYNAPSE_HOST/);
    } finally {
      process.env = saved;
    }
  });

  it('walks every page once, page 1 included, without changing the caller params', async () => {
    const params = { ground_truth_dataset_versions: 5 };
    const listing = await client().listGroundTruthEvents(params);
    expect(listing.count).toBe(250);
    const items = await collect(listing.results);
    expect(items.map((i) => i.id)).toEqual(Array.from({ length: 250 }, (_, i) => 100_000 + i));
    expect(params).toEqual({ ground_truth_dataset_versions: 5 });
    const pages = backend.requestsTo('sdk/ground_truth_events/').map((r) => Number(r.query.get('page') ?? '1'));
    expect(pages).toEqual([1, 2, 3]);
    expect(backend.requestsTo('sdk/ground_truth_events/').every((r) => r.query.get('page_size') === '100')).toBe(true);
  });

  it('reads only the pages of its page range, and the count from the first of them', async () => {
    const listing = await client({ pageSize: 20, pages: { first: 3, last: 5 } }).listGroundTruthEvents({ ground_truth_dataset_versions: 5 });
    expect(listing.count).toBe(250);
    expect((await collect(listing.results)).map((i) => i.id)).toEqual(Array.from({ length: 60 }, (_, i) => 100_040 + i));
    expect(backend.requestsTo('sdk/ground_truth_events/').map((r) => Number(r.query.get('page') ?? '1'))).toEqual([3, 4, 5]);
    // A one-page range on the last page: nothing after it, and a short page is whole.
    backend.requests.length = 0;
    const last = await client({ pageSize: 20, pages: { first: 13, last: 13 } }).listGroundTruthEvents({ ground_truth_dataset_versions: 5 });
    expect((await collect(last.results)).map((i) => i.id)).toEqual(Array.from({ length: 10 }, (_, i) => 100_240 + i));
    expect(backend.requestsTo('sdk/ground_truth_events/').map((r) => Number(r.query.get('page')))).toEqual([13]);
  });

  it('fetches no more than the prefetch ahead when the reader stops early', async () => {
    backend.options.groundTruthVersions![6] = { count: 5_000, project: 7 };
    const listing = await client({ prefetchPages: 2 }).listGroundTruthEvents({ ground_truth_dataset_versions: 6 });
    let read = 0;
    for await (const _ of listing.results) if (++read === 150) break;
    await new Promise((resolve) => setTimeout(resolve, 50));
    // Page 1, page 2 being read, and at most two pages ahead of it.
    expect(backend.requestsTo('sdk/ground_truth_events/').length).toBeLessThanOrEqual(4);
  });

  it('retries 503s, resets and truncated bodies, then succeeds', async () => {
    backend.inject('503', 'sdk/ground_truth_events/', 2).inject('truncated', (r) => r.query.get('page') === '2').inject('reset', (r) => r.query.get('page') === '3');
    const listing = await client().listGroundTruthEvents({ ground_truth_dataset_versions: 5 });
    expect((await collect(listing.results)).length).toBe(250);
  });

  it('gives up after the retries with a ClientError carrying the status', async () => {
    backend.inject('503', 'storages/', 10);
    const error = await client({ retries: 2 }).getStorage(1).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ClientError);
    expect((error as ClientError).status).toBe(503);
    expect(backend.requestsTo('storages/1/')).toHaveLength(3);
  });

  it('does not retry a 401 and never shows the token', async () => {
    const error = (await new BackendClient({ host: backend.url, token: 'wrong-token-xyz', backoffMs: 1 }).getProject(7).catch((e: unknown) => e)) as ClientError;
    expect(error.status).toBe(401);
    expect(backend.requestsTo('projects/7/')).toHaveLength(1);
    const shown = `${error.message} ${String(error.stack)} ${JSON.stringify(error)}`;
    expect(shown).not.toContain('wrong-token-xyz');
  });

  it('times out a slow answer as 408 and retries it', async () => {
    backend.inject('slow', 'storages/', 1);
    const result = await client({ timeoutMs: 100 }).getStorage(1);
    expect(result).toEqual({ id: 1 });
    expect(backend.requestsTo('storages/1/')).toHaveLength(2);
    backend.inject('slow', 'storages/', 5);
    const error = (await client({ timeoutMs: 100, retries: 1 }).getStorage(1).catch((e: unknown) => e)) as ClientError;
    expect(error.status).toBe(408);
  });

  it('maps a refused connection to 503', async () => {
    await backend.stop();
    const error = (await client({ retries: 0 }).getStorage(1).catch((e: unknown) => e)) as ClientError;
    expect(error).toBeInstanceOf(ClientError);
    expect(error.status).toBe(503);
    expect(error.message).toMatch(/connection refused/);
  });

  it('refuses to follow a next link to another origin', async () => {
    const other = new BackendClient({ host: backend.url, token: TOKEN });
    const error = (await other.request('GET', 'http://example.invalid/api/x/').catch((e: unknown) => e)) as ClientError;
    expect(error.message).toMatch(/another origin/);
    expect(error.retryable).toBe(false);
  });
});
