/** Containers nested deeper than this are refused rather than risking the call stack. */
const MAX_DEPTH = 256;

const SIMPLE_ESCAPES: Record<string, string> = {
  '\\': '\\',
  "'": "'",
  '"': '"',
  a: '\x07',
  b: '\b',
  f: '\f',
  n: '\n',
  r: '\r',
  t: '\t',
  v: '\v',
};
const NAME = /[A-Za-z_][A-Za-z0-9_]*/y;
/** Characters up to the next quote, backslash or (outside triple quotes) line break, by quote. */
const QUOTED_RUN: Record<string, RegExp> = { "'": /[^'\\\r\n]*/y, '"': /[^"\\\r\n]*/y };
const TRIPLE_QUOTED_RUN: Record<string, RegExp> = { "'": /[^'\\]*/y, '"': /[^"\\]*/y };
const DECIMAL =
  /(?:[0-9](?:_?[0-9])*(?:\.(?:[0-9](?:_?[0-9])*)?)?|\.[0-9](?:_?[0-9])*)(?:[eE][+-]?[0-9](?:_?[0-9])*)?/y;
const PREFIXED_INTEGER = /0(?:[xX](?:_?[0-9a-fA-F])+|[oO](?:_?[0-7])+|[bB](?:_?[01])+)/y;
const RADIX: Record<string, number> = { x: 16, o: 8, b: 2 };

/**
 * Parses one Python literal — what `repr()` writes and `ast.literal_eval` reads — without
 * evaluating anything: dicts, lists, tuples (as arrays), strings in ' or " (also triple-quoted,
 * with the `u`/`r` prefixes and every escape but `\N{…}`), ints (decimal, 0x/0o/0b, Python 2's
 * `L` suffix), floats, True/False/None (as true/false/null). Trailing commas are allowed.
 *
 * Dict keys must be strings or numbers (numbers become their decimal string); a later duplicate
 * key wins, as in Python. Integers beyond 2^53 lose precision like any JS number. Names, calls,
 * operators, sets, bytes and complex numbers are refused: bad input throws a plain `Error` whose
 * message ends with the 1-based column.
 */
export function parsePythonLiteral(text: string): unknown {
  let position = 0;

  const fail = (reason: string, at: number = position): never => {
    throw new Error(`${reason} at column ${at + 1}`);
  };

  const skipWhitespace = (): void => {
    while (isWhitespace(text.charCodeAt(position))) position++;
  };

  const expectMore = (what: string): string => {
    skipWhitespace();
    if (position >= text.length) fail(`unexpected end of input, expected ${what}`);
    return text[position]!;
  };

  const parseValue = (depth: number): unknown => {
    const char = expectMore('a value');
    if (char === '{') return parseDict(depth + 1);
    if (char === '[') return parseItems(']', depth + 1);
    if (char === '(') return parseParenthesised(depth + 1);
    if (char === "'" || char === '"') return parseString(false);
    if (char === '-' || char === '+' || char === '.' || (char >= '0' && char <= '9')) return parseNumber();
    NAME.lastIndex = position;
    const name = NAME.exec(text)?.[0];
    if (name !== undefined) return parseName(name);
    return fail(`unexpected character ${JSON.stringify(char)}`);
  };

  const enter = (depth: number): void => {
    if (depth > MAX_DEPTH) fail(`containers nested deeper than ${MAX_DEPTH} levels`);
    position++; // the opening bracket
  };

  const parseDict = (depth: number): Record<string, unknown> => {
    enter(depth);
    const dict: Record<string, unknown> = {};
    while (expectMore("a key or '}'") !== '}') {
      const keyStart = position;
      const key = parseValue(depth);
      if (typeof key !== 'string' && typeof key !== 'number') fail('dict keys must be strings or numbers', keyStart);
      const separator = expectMore("':'");
      if (separator === ',' || separator === '}') fail('sets are not supported, only dicts');
      if (separator !== ':') fail(`expected ':' after a dict key, got ${JSON.stringify(separator)}`);
      position++;
      setOwn(dict, String(key), parseValue(depth));
      if (!continueAfterItem('}')) break;
    }
    position++;
    return dict;
  };

  const parseItems = (closing: string, depth: number): unknown[] => {
    enter(depth);
    const items: unknown[] = [];
    while (expectMore(`a value or '${closing}'`) !== closing) {
      items.push(parseValue(depth));
      if (!continueAfterItem(closing)) break;
    }
    position++;
    return items;
  };

  /** `(x)` is just x; `()`, `(x,)` and `(x, y)` are tuples. */
  const parseParenthesised = (depth: number): unknown => {
    const open = position;
    enter(depth);
    if (expectMore("a value or ')'") === ')') {
      position++;
      return [];
    }
    const first = parseValue(depth);
    if (expectMore("',' or ')'") === ')') {
      position++;
      return first;
    }
    position = open;
    return parseItems(')', depth);
  };

  /** After an item: true at a comma (more may follow), false at the closing bracket. */
  const continueAfterItem = (closing: string): boolean => {
    const char = expectMore(`',' or '${closing}'`);
    if (char === ',') {
      position++;
      return true;
    }
    if (char !== closing) fail(`expected ',' or '${closing}', got ${JSON.stringify(char)}`);
    return false;
  };

  const parseName = (name: string): unknown => {
    const start = position;
    position += name.length;
    if (name === 'True') return true;
    if (name === 'False') return false;
    if (name === 'None') return null;
    const quote = text[position];
    if (quote === "'" || quote === '"') {
      const prefix = name.toLowerCase();
      if (prefix === 'u') return parseString(false);
      if (prefix === 'r' || prefix === 'ur') return parseString(true);
      return fail(`string prefix '${name}' is not supported (bytes and f-strings are not plain literals)`, start);
    }
    return fail(`unexpected name '${name}': only literals are allowed, never names or calls`, start);
  };

  const parseNumber = (): number => {
    const start = position;
    let sign = 1;
    if (text[position] === '-' || text[position] === '+') {
      if (text[position] === '-') sign = -1;
      position++;
      skipWhitespace();
    }
    PREFIXED_INTEGER.lastIndex = position;
    const prefixed = PREFIXED_INTEGER.exec(text)?.[0];
    DECIMAL.lastIndex = position;
    const decimal = prefixed === undefined ? DECIMAL.exec(text)?.[0] : undefined;
    const literal = prefixed ?? decimal;
    if (literal === undefined) return fail('expected a number', start);
    const digits = literal.replace(/_/g, '');
    const isInteger = prefixed !== undefined || /^[0-9]+$/.test(digits);
    if (prefixed === undefined && isInteger && digits.length > 1 && digits.startsWith('0') && !/^0+$/.test(digits)) {
      fail('integers with leading zeros are ambiguous (octal in Python 2)', start);
    }
    position += literal.length;
    if (isInteger && (text[position] === 'L' || text[position] === 'l')) position++;
    if (text[position] === 'j' || text[position] === 'J') fail('complex numbers are not supported', start);
    if (position < text.length && /[A-Za-z0-9_.]/.test(text[position]!))
      fail(`malformed number '${text.slice(start, position + 1)}'`, start);
    const value = prefixed === undefined ? Number(digits) : parseInt(digits.slice(2), RADIX[digits[1]!.toLowerCase()]);
    return sign * value;
  };

  const parseString = (raw: boolean): string => {
    const start = position;
    const quote = text[position]!;
    const triple = text[position + 1] === quote && text[position + 2] === quote;
    const run = (triple ? TRIPLE_QUOTED_RUN : QUOTED_RUN)[quote]!;
    position += triple ? 3 : 1;
    let value = '';
    for (;;) {
      run.lastIndex = position; // ordinary characters in one step: most strings have no escapes
      const plain = run.exec(text)![0];
      value += plain;
      position += plain.length;
      if (position >= text.length) fail('unterminated string', start);
      const char = text[position]!;
      if (char === quote) {
        if (!triple || (text[position + 1] === quote && text[position + 2] === quote)) {
          position += triple ? 3 : 1;
          return value;
        }
        value += char;
        position++;
      } else if (char !== '\\') {
        fail('unterminated string (line break inside quotes)', start);
      } else if (position + 1 >= text.length) {
        fail('unterminated string', start);
      } else if (raw) {
        value += text.slice(position, position + 2); // the backslash stays, and the quote after it cannot end the string
        position += 2;
      } else {
        value += readEscape();
      }
    }
  };

  /** Reads the escape at `position` (a backslash) and returns what it stands for. */
  const readEscape = (): string => {
    const start = position;
    const char = text[position + 1]!;
    position += 2;
    const simple = SIMPLE_ESCAPES[char];
    if (simple !== undefined) return simple;
    if (char === '\n') return '';
    if (char === '\r') {
      if (text[position] === '\n') position++;
      return '';
    }
    if (char >= '0' && char <= '7') {
      let end = position;
      while (end < start + 4 && end < text.length && text[end]! >= '0' && text[end]! <= '7') end++;
      const code = parseInt(text.slice(start + 1, end), 8);
      position = end;
      return String.fromCharCode(code);
    }
    const hexLength = char === 'x' ? 2 : char === 'u' ? 4 : char === 'U' ? 8 : 0;
    if (hexLength > 0) {
      const hex = text.slice(position, position + hexLength);
      if (hex.length !== hexLength || !/^[0-9a-fA-F]+$/.test(hex))
        fail(`\\${char} escape needs ${hexLength} hex digits`, start);
      const code = parseInt(hex, 16);
      if (code > 0x10ffff) fail(`\\${char} escape beyond U+10FFFF`, start);
      position += hexLength;
      return String.fromCodePoint(code);
    }
    if (char === 'N') fail('\\N{...} escapes are not supported', start);
    return `\\${char}`; // Python keeps unknown escapes as written
  };

  const value = parseValue(0);
  skipWhitespace();
  if (position < text.length) fail(`unexpected ${JSON.stringify(text[position])} after the value`);
  return value;
}

/** Space, \t, \n, \v, \f or \r; NaN (past the end) is not. */
function isWhitespace(code: number): boolean {
  return code === 32 || (code >= 9 && code <= 13);
}

/** Assigns like a dict would, so a key such as "__proto__" becomes data and never a prototype. */
function setOwn(target: Record<string, unknown>, key: string, value: unknown): void {
  if (key === '__proto__')
    Object.defineProperty(target, key, { value, writable: true, enumerable: true, configurable: true });
  else target[key] = value;
}
