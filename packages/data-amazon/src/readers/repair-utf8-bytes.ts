const HAS_HIGH_BYTE = /[\x80-\xff]/;
// biome-ignore lint/suspicious/noControlCharactersInRegex: the range is every byte value; NUL is meant
const BEYOND_BYTE = /[^\x00-\xff]/;
const strictUtf8 = new TextDecoder('utf-8', { fatal: true });

/**
 * The 2014 files are Python 2 `repr()` output, where a UTF-8 byte string shows "’" as the
 * escapes `\xe2\x80\x99`, which parse to three Latin-1 characters. When every character of a string
 * fits in a byte and those bytes form valid UTF-8 with at least one multi-byte sequence, this
 * returns the decoded text; anything else (plain ASCII, real Latin-1 such as "café") is returned
 * unchanged, because a lone Latin-1 letter is never valid UTF-8.
 */
export function repairUtf8Bytes(text: string): string {
  if (!HAS_HIGH_BYTE.test(text) || BEYOND_BYTE.test(text)) return text;
  try {
    return strictUtf8.decode(Buffer.from(text, 'latin1'));
  } catch {
    return text;
  }
}
