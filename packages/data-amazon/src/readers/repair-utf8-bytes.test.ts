import { describe, expect, it } from 'vitest';
import { repairUtf8Bytes } from './repair-utf8-bytes';

describe('repairUtf8Bytes', () => {
  it('decodes UTF-8 bytes that were parsed as Latin-1 characters', () => {
    expect(repairUtf8Bytes('Tutu \xe2\x80\x93 Pink')).toBe('Tutu – Pink');
    expect(repairUtf8Bytes('caf\xc3\xa9')).toBe('café');
  });

  it('leaves ASCII, real Latin-1 and text beyond one byte alone', () => {
    expect(repairUtf8Bytes('plain')).toBe('plain');
    expect(repairUtf8Bytes('caf\xe9')).toBe('caf\xe9');
    expect(repairUtf8Bytes('\xe2\x80\x93 and €')).toBe('\xe2\x80\x93 and €');
  });
});
