import { DataFormatError } from '@imecd/core';
import { describe, expect, it } from 'vitest';
import { scanInterJson } from './scan-inter-json';

describe('scanInterJson', () => {
  it('reads keys, item lists and the line each entry starts on', () => {
    const text = '{"0": [3, 1],\n "1": [],\r\n "2"\t:\n[ 7 ]}\n';
    expect(scanInterJson(text, 'x.inter.json')).toEqual([
      { key: '0', items: [3, 1], line: 1 },
      { key: '1', items: [], line: 2 },
      { key: '2', items: [7], line: 3 },
    ]);
    expect(scanInterJson(' { } ', 'x.inter.json')).toEqual([]);
  });

  it('reports line and column of what it did not expect', () => {
    const cases: [string, number, string][] = [
      ['{"0": [1, 2.5]}', 1, 'column 11: expected a non-negative integer item index, found "2.5]}"'],
      ['{"0": [1, -2]}', 1, 'column 11: expected a non-negative integer item index, found "-2]}"'],
      ['{"0": [1],\n "1": [1 2]}', 2, 'column 10: expected "," or "]" in the item list, found "2]}"'],
      ['{"0": [1],\n "1": [1,', 2, 'column 10: expected a non-negative integer item index, found the end of the file'],
      ['{"0": [1]} []', 1, 'column 12: expected nothing after the closing "}", found "[]"'],
      ['{0: [1]}', 1, 'column 2: expected a quoted user key, found "0: [1]}"'],
    ];
    for (const [text, line, reason] of cases) {
      let caught: unknown;
      try {
        scanInterJson(text, 'x.inter.json');
      } catch (error) {
        caught = error;
      }
      expect(caught).toBeInstanceOf(DataFormatError);
      expect(caught).toMatchObject({ file: 'x.inter.json', line, reason });
    }
  });
});
