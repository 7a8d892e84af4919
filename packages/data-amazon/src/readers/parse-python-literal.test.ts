import { describe, expect, it } from 'vitest';
import { parsePythonLiteral } from './parse-python-literal';

describe('parsePythonLiteral', () => {
  it('reads a 2014-style meta dict with nested containers', () => {
    const line = `{'asin': '0000031852', 'price': 6.9900000000000002, 'salesRank': {'Toys & Games': 211836}, 'categories': [['Toys & Games', 'Dress Up'], ['Girls']], 'related': {'also_bought': ['B00JHONN1S']}}`;
    expect(parsePythonLiteral(line)).toEqual({
      asin: '0000031852',
      price: 6.99,
      salesRank: { 'Toys & Games': 211836 },
      categories: [['Toys & Games', 'Dress Up'], ['Girls']],
      related: { also_bought: ['B00JHONN1S'] },
    });
  });

  it('reads True, False, None and tuples', () => {
    expect(parsePythonLiteral('[True, False, None]')).toEqual([true, false, null]);
    expect(parsePythonLiteral('(1, 2)')).toEqual([1, 2]);
    expect(parsePythonLiteral('(1,)')).toEqual([1]);
    expect(parsePythonLiteral('()')).toEqual([]);
    expect(parsePythonLiteral('(1)')).toBe(1); // parentheses alone make no tuple
    expect(parsePythonLiteral("{'a': ('x', (2, 3))}")).toEqual({ a: ['x', [2, 3]] });
  });

  it('reads signed, float, exponent, prefixed and Python 2 long numbers', () => {
    expect(parsePythonLiteral('[-5, +3, - 2, 0, 00, 1_000]')).toEqual([-5, 3, -2, 0, 0, 1000]);
    expect(parsePythonLiteral('[-1.5, .25, 5., 1e3, 2.5E-2, -0.0]')).toEqual([-1.5, 0.25, 5, 1000, 0.025, -0]);
    expect(parsePythonLiteral('[0x1F, 0o17, 0b101, -0xff]')).toEqual([31, 15, 5, -255]);
    expect(parsePythonLiteral('[10L, 7l]')).toEqual([10, 7]);
  });

  it('allows trailing commas and any whitespace between tokens', () => {
    expect(parsePythonLiteral("{'a': 1, 'b': [1, 2,],}")).toEqual({ a: 1, b: [1, 2] });
    expect(parsePythonLiteral(" {\n\t'a' :\r\n 1 } ")).toEqual({ a: 1 });
  });

  it('reads both quote styles and every escape', () => {
    expect(parsePythonLiteral(`"It's"`)).toBe("It's");
    expect(parsePythonLiteral(`'say "hi"'`)).toBe('say "hi"');
    expect(parsePythonLiteral(`'it\\'s \\"q\\" \\\\ end'`)).toBe(`it's "q" \\ end`);
    expect(parsePythonLiteral(`'\\n\\t\\r\\a\\b\\f\\v'`)).toBe('\n\t\r\x07\b\f\v');
    expect(parsePythonLiteral(`'\\x41\\101\\0\\u00e9\\U0001F600'`)).toBe('AA\0é😀');
    expect(parsePythonLiteral(`'a\\\nb'`)).toBe('ab'); // backslash-newline continues the line
    expect(parsePythonLiteral(`'\\d\\/'`)).toBe('\\d\\/'); // unknown escapes keep their backslash
  });

  it('reads unicode text, surrogate pairs from \\u escapes, prefixes and triple quotes', () => {
    expect(parsePythonLiteral(`'café – 日本'`)).toBe('café – 日本');
    expect(parsePythonLiteral(`'\\ud83d\\ude00'`)).toBe('😀');
    expect(parsePythonLiteral(`u'caf\\xe9'`)).toBe('café');
    expect(parsePythonLiteral(`r'a\\nb'`)).toBe('a\\nb');
    expect(parsePythonLiteral(`'''one 'two'\nthree'''`)).toBe("one 'two'\nthree");
    expect(parsePythonLiteral(`''`)).toBe('');
  });

  it('turns number keys into strings and treats "__proto__" as a plain key', () => {
    expect(parsePythonLiteral('{1: "a", 2.5: "b"}')).toEqual({ '1': 'a', '2.5': 'b' });
    const parsed = parsePythonLiteral("{'__proto__': {'polluted': True}}") as Record<string, unknown>;
    expect(Object.getPrototypeOf(parsed)).toBe(Object.prototype);
    expect(Object.keys(parsed)).toEqual(['__proto__']);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('keeps the last of duplicate keys, as Python does', () => {
    expect(parsePythonLiteral("{'a': 1, 'a': 2}")).toEqual({ a: 2 });
  });

  it('refuses code, with the column', () => {
    expect(() => parsePythonLiteral("__import__('os')")).toThrow(/unexpected name '__import__'.* at column 1$/);
    expect(() => parsePythonLiteral("{'a': os.system('rm')}")).toThrow(/unexpected name 'os'.* at column 7$/);
    expect(() => parsePythonLiteral('[1 + 2]')).toThrow(/expected ',' or '\]', got "\+" at column 4$/);
    expect(() => parsePythonLiteral('lambda: 0')).toThrow(/unexpected name 'lambda'/);
    expect(() => parsePythonLiteral("b'bytes'")).toThrow(/prefix 'b'/);
    expect(() => parsePythonLiteral("f'{x}'")).toThrow(/prefix 'f'/);
  });

  it('rejects malformed input, with the column', () => {
    expect(() => parsePythonLiteral('')).toThrow(/unexpected end of input.* at column 1$/);
    expect(() => parsePythonLiteral("{'a': 1")).toThrow(/unexpected end of input, expected ',' or '}' at column 8$/);
    expect(() => parsePythonLiteral("{'a' 1}")).toThrow(/expected ':' after a dict key.* at column 6$/);
    expect(() => parsePythonLiteral("'open")).toThrow(/unterminated string at column 1$/);
    expect(() => parsePythonLiteral("'a\nb'")).toThrow(/unterminated string/);
    expect(() => parsePythonLiteral("'\\x4'")).toThrow(/\\x escape needs 2 hex digits at column 2$/);
    expect(() => parsePythonLiteral("'\\N{BULLET}'")).toThrow(/not supported/);
    expect(() => parsePythonLiteral('{1, 2}')).toThrow(/sets are not supported/);
    expect(() => parsePythonLiteral('{(1, 2): 3}')).toThrow(/dict keys must be strings or numbers at column 2$/);
    expect(() => parsePythonLiteral('[1, 2] [3]')).toThrow(/unexpected "\[" after the value at column 8$/);
    expect(() => parsePythonLiteral('[,]')).toThrow(/unexpected character ","/);
    expect(() => parsePythonLiteral('007')).toThrow(/leading zeros/);
    expect(() => parsePythonLiteral('1j')).toThrow(/complex/);
    expect(() => parsePythonLiteral('12abc')).toThrow(/malformed number/);
    expect(() => parsePythonLiteral('{"a": true}')).toThrow(/unexpected name 'true'/);
  });

  it('refuses nesting deeper than 256 instead of overflowing the stack', () => {
    expect(parsePythonLiteral(`${'['.repeat(256)}${']'.repeat(256)}`)).toBeInstanceOf(Array);
    expect(() => parsePythonLiteral(`${'['.repeat(100_000)}${']'.repeat(100_000)}`)).toThrow(
      /nested deeper than 256 levels at column 257$/,
    );
  });
});
