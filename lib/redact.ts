/**
 * Redaction of URLs before they reach messages and logs. Signed URLs (S3, GCS, CDN tokens) carry
 * their secret in the query string, and some URLs carry credentials as userinfo; either would
 * hand access to whoever reads the log.
 */

const REDACTED = 'REDACTED';

/**
 * The URL with every query value, the userinfo and the fragment replaced by `REDACTED`; scheme,
 * host, port, path and query keys are kept so the URL still says what was fetched.
 * Input that does not parse as a URL is cut at its first `?` or `#` (and any `//user@` is masked),
 * since nothing can be known about which of its parts are secret.
 */
export function redactUrl(url: string): string {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return url.split(/[?#]/, 1)[0]!.replace(/\/\/[^/]*@/, `//${REDACTED}@`);
  }

  if (parsed.username !== '' || parsed.password !== '') {
    parsed.username = REDACTED;
    parsed.password = '';
  }
  if (parsed.search !== '') parsed.search = redactQuery(parsed.search.slice(1));
  // Fragments never reach the server but can hold tokens (OAuth implicit flow).
  if (parsed.hash !== '') parsed.hash = REDACTED;
  return parsed.href;
}

/** `a=1&b=2` → `a=REDACTED&b=REDACTED`. A bare `token` (no `=`) may itself be the secret. */
function redactQuery(query: string): string {
  return query
    .split('&')
    .map((pair) => {
      if (pair === '') return pair;
      const eq = pair.indexOf('=');
      return eq === -1 ? REDACTED : `${pair.slice(0, eq)}=${REDACTED}`;
    })
    .join('&');
}
