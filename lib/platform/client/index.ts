export { BackendClient, type Listing, type QueryParams, type JsonObject } from './backend-client.js';
export { ClientError, RETRYABLE_STATUSES } from './client-error.js';
export { resolveClientOptions, type BackendClientOptions, type ResolvedClientOptions, type PageRange } from './client-options.js';
export { paginate, type Page } from './paginate.js';
