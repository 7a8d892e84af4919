import { UsageError } from './usage-error';

/** An integer flag value, or a UsageError naming the flag. */
export function parseInteger(flag: string, text: string): number {
  const value = Number(text);
  if (!Number.isInteger(value)) throw new UsageError(`${flag}: "${text}" is not an integer`);
  return value;
}

/** A positive integer flag value, or a UsageError naming the flag. */
export function parsePositiveInteger(flag: string, text: string): number {
  const value = parseInteger(flag, text);
  if (value < 1) throw new UsageError(`${flag}: expected a positive integer, got ${value}`);
  return value;
}

/** `key=value` of a --set or --grid flag (key: a setting name), or undefined when malformed. */
export function splitKeyValue(flag: string): [key: string, value: string] | undefined {
  const match = /^([A-Za-z][A-Za-z0-9]*)=(.+)$/.exec(flag);
  return match ? [match[1]!, match[2]!] : undefined;
}
