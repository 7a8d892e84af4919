import { DataFormatError } from '@imecd/core';
import { describeValue, type RecordPlace } from './parse-record-line';

/**
 * Typed access to the fields of one parsed record; every failure is a `DataFormatError` that names
 * the file, the line and the field. Optional fields treat null and '' as absent, because real
 * meta writes both for "unknown".
 */
export interface RecordFields {
  /** A non-empty string; missing, empty or another type is an error. */
  requiredString(field: string): string;
  /** A finite number; missing or another type (a numeric string too) is an error. */
  requiredNumber(field: string): number;
  optionalString(field: string): string | undefined;
  /** A list of strings; a lone string counts as a list of one. Empty strings are dropped. */
  optionalStrings(field: string): string[] | undefined;
  /** A list of lists of strings (2014 category paths), flattened in order. */
  optionalStringPaths(field: string): string[] | undefined;
  /** A list of objects, for nested records such as 2023 `images`. */
  optionalObjects(field: string): Record<string, unknown>[] | undefined;
  /** The same checks on a nested object, with the field names prefixed for messages. */
  nested(value: Record<string, unknown>, prefix: string): RecordFields;
}

export function createRecordFields(record: Record<string, unknown>, place: RecordPlace, prefix = ''): RecordFields {
  const fail = (field: string, reason: string): never => {
    throw new DataFormatError(place.file, place.line, `field "${prefix}${field}" ${reason}`);
  };
  const read = (field: string): unknown => (Object.hasOwn(record, field) ? record[field] : undefined);
  const isAbsent = (value: unknown): boolean => value === undefined || value === null || value === '';

  const stringsOf = (field: string, values: unknown[]): string[] =>
    values.flatMap((item, index) => {
      if (item === null || item === '') return [];
      if (typeof item !== 'string')
        return fail(field, `must hold strings, but item ${index} is ${describeValue(item)}`);
      return [item];
    });

  return {
    requiredString(field) {
      const value = read(field);
      if (value === undefined || value === null) return fail(field, 'is missing');
      if (typeof value !== 'string') return fail(field, `must be a string, got ${describeValue(value)}`);
      if (value.trim() === '') return fail(field, 'is empty');
      return value;
    },
    requiredNumber(field) {
      const value = read(field);
      if (value === undefined || value === null) return fail(field, 'is missing');
      if (typeof value !== 'number' || !Number.isFinite(value))
        return fail(field, `must be a number, got ${describeValue(value)}`);
      return value;
    },
    optionalString(field) {
      const value = read(field);
      if (isAbsent(value)) return undefined;
      if (typeof value !== 'string') return fail(field, `must be a string, got ${describeValue(value)}`);
      return value.trim() === '' ? undefined : value;
    },
    optionalStrings(field) {
      const value = read(field);
      if (isAbsent(value)) return undefined;
      if (typeof value === 'string') return [value];
      if (!Array.isArray(value)) return fail(field, `must be a list of strings, got ${describeValue(value)}`);
      const strings = stringsOf(field, value);
      return strings.length > 0 ? strings : undefined;
    },
    optionalStringPaths(field) {
      const value = read(field);
      if (isAbsent(value)) return undefined;
      if (!Array.isArray(value)) return fail(field, `must be a list of lists of strings, got ${describeValue(value)}`);
      const strings = value.flatMap((path, index) => {
        if (!Array.isArray(path))
          return fail(field, `must be a list of lists of strings, but item ${index} is ${describeValue(path)}`);
        return stringsOf(field, path);
      });
      return strings.length > 0 ? strings : undefined;
    },
    optionalObjects(field) {
      const value = read(field);
      if (isAbsent(value)) return undefined;
      if (!Array.isArray(value)) return fail(field, `must be a list of objects, got ${describeValue(value)}`);
      return value.flatMap((item, index) => {
        if (item === null) return [];
        if (typeof item !== 'object' || Array.isArray(item))
          return fail(field, `must hold objects, but item ${index} is ${describeValue(item)}`);
        return [item as Record<string, unknown>];
      });
    },
    nested(value, nestedPrefix) {
      return createRecordFields(value, place, `${prefix}${nestedPrefix}`);
    },
  };
}
