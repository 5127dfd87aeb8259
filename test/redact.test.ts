import { describe, expect, it } from 'vitest';

import { redactUrl } from '../lib/redact.js';

describe('redactUrl', () => {
  it('replaces every query value and keeps the keys', () => {
    expect(redactUrl('https://h/x.jpg?X-Amz-Signature=abc&a=1')).toBe(
      'https://h/x.jpg?X-Amz-Signature=REDACTED&a=REDACTED',
    );
  });

  it('replaces userinfo, with or without a password', () => {
    expect(redactUrl('https://user:pw@h/x')).toBe('https://REDACTED@h/x');
    expect(redactUrl('https://user@h/x')).toBe('https://REDACTED@h/x');
    expect(redactUrl('https://:pw@h/x')).toBe('https://REDACTED@h/x');
  });

  it('leaves URLs without secrets unchanged', () => {
    expect(redactUrl('http://127.0.0.1:1234/a/b.png')).toBe('http://127.0.0.1:1234/a/b.png');
  });

  it('redacts bare query tokens, empty values and fragments', () => {
    expect(redactUrl('https://h/x?s3cr3t')).toBe('https://h/x?REDACTED');
    expect(redactUrl('https://h/x?a=&&b=2')).toBe('https://h/x?a=REDACTED&&b=REDACTED');
    expect(redactUrl('https://h/x#access_token=t0k')).toBe('https://h/x#REDACTED');
  });

  it('keeps encoded keys as they were', () => {
    expect(redactUrl('https://h/x?a%20b=1&c=d%26e')).toBe('https://h/x?a%20b=REDACTED&c=REDACTED');
  });

  it('cuts unparsable input at the query and masks userinfo', () => {
    expect(redactUrl('not a url?token=secret')).toBe('not a url');
    expect(redactUrl('/relative/x.png?sig=1#frag')).toBe('/relative/x.png');
    expect(redactUrl('//user:pw@host/x?sig=1')).toBe('//REDACTED@host/x');
  });
});
