/**
 * Reduces any file name a source may carry to one that is safe to create inside the export
 * directory on Linux, macOS and Windows: a single path segment, no control characters, no
 * reserved names, bounded length.
 */

/** Longest output name in UTF-8 bytes; leaves room for a `(n)` suffix and temp-file endings under 255. */
export const MAX_NAME_BYTES = 200;

const WINDOWS_RESERVED = /^(con|prn|aux|nul|com[0-9¹²³]|lpt[0-9¹²³])(\..*)?$/i;
// Characters Windows refuses in names, plus C0/C1 control characters and DEL.
// eslint-disable-next-line no-control-regex
const UNSAFE_CHARACTERS = /[\u0000-\u001f\u007f-\u009f<>:"|?*]/g;

export function safeFileName(raw: string, fallback: string): string {
  // Only the last segment of any path counts; both separators, whatever the platform.
  const segments = raw.normalize('NFC').split(/[/\\]/);
  let name = (segments[segments.length - 1] ?? '').replace(UNSAFE_CHARACTERS, '_');
  // Windows drops trailing dots and spaces, which would make `a.` and `a` collide.
  name = name.trim().replace(/[. ]+$/, '');
  if (name === '' || /^\.+$/.test(name)) name = fallback;
  if (WINDOWS_RESERVED.test(name)) name = `_${name}`;
  return truncateName(name);
}

/** Splits `a.tar.gz` into `a.tar` + `.gz`, as Python's `Path.stem`/`suffix` do; `.env` has no extension. */
export function splitExtension(name: string): { stem: string; extension: string } {
  const dot = name.lastIndexOf('.');
  if (dot <= 0) return { stem: name, extension: '' };
  return { stem: name.slice(0, dot), extension: name.slice(dot) };
}

/** Cuts a name to MAX_NAME_BYTES, keeping its extension and never splitting a character. */
function truncateName(name: string): string {
  if (Buffer.byteLength(name) <= MAX_NAME_BYTES) return name;
  let { stem, extension } = splitExtension(name);
  if (Buffer.byteLength(extension) > 16) {
    stem = name;
    extension = '';
  }
  const budget = MAX_NAME_BYTES - Buffer.byteLength(extension);
  let bytes = 0;
  let cut = '';
  for (const character of stem) {
    bytes += Buffer.byteLength(character);
    if (bytes > budget) break;
    cut += character;
  }
  return cut + extension;
}
