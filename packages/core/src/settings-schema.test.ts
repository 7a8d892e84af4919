import { describe, expect, expectTypeOf, it } from 'vitest';
import { InvalidArgumentError } from './errors';
import { defineSettings, type SettingsOf, type UntypedSettingsSchema } from './settings-schema';

const schema = defineSettings({
  layers: { kind: 'integer', default: 2, min: 1, doc: 'encoder layers' },
  dropout: { kind: 'number', default: 0.5, min: 0, max: 1, exclusiveMax: true, doc: 'dropout rate' },
  temperature: { kind: 'number', default: 0.07, min: 0, exclusiveMin: true, doc: 'τ | of the softmax' },
  fusion: { kind: 'choice', default: 'sum', values: ['sum', 'generated'], doc: 'how scores add up' },
  shared: { kind: 'boolean', default: false, doc: 'share the table' },
});

const message = (run: () => unknown) => {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(InvalidArgumentError);
    return (error as Error).message;
  }
  throw new Error('expected an error');
};

describe('defineSettings', () => {
  it('types the settings from the declaration, choices as their names', () => {
    expectTypeOf<SettingsOf<typeof schema.specs>>().toEqualTypeOf<{
      layers: number;
      dropout: number;
      temperature: number;
      fusion: 'sum' | 'generated';
      shared: boolean;
    }>();
    expect(schema.defaults).toEqual({ layers: 2, dropout: 0.5, temperature: 0.07, fusion: 'sum', shared: false });
    expect(schema.keys).toEqual(['layers', 'dropout', 'temperature', 'fusion', 'shared']);
    expect(Object.isFrozen(schema.defaults)).toBe(true);
  });

  it('resolves defaults overlaid with checked values, skipping undefined', () => {
    expect(schema.resolve({ layers: 3, fusion: 'generated', dropout: undefined })).toEqual({
      layers: 3,
      dropout: 0.5,
      temperature: 0.07,
      fusion: 'generated',
      shared: false,
    });
  });

  it('names the setting and its allowed range in every error', () => {
    expect(message(() => schema.resolve({ layers: 0 }))).toBe('Invalid layers: expected integer ≥ 1, got 0');
    expect(message(() => schema.resolve({ layers: 1.5 }))).toBe('Invalid layers: expected integer ≥ 1, got 1.5');
    expect(message(() => schema.resolve({ dropout: 1 }))).toBe('Invalid dropout: expected number in [0, 1), got 1');
    expect(message(() => schema.resolve({ temperature: 0 }))).toBe('Invalid temperature: expected number > 0, got 0');
    expect(message(() => schema.resolve({ dropout: Number.NaN }))).toContain('expected number in [0, 1)');
    expect(message(() => schema.resolve({ fusion: 'max' }))).toBe(
      "Invalid fusion: expected 'sum' | 'generated', got 'max'",
    );
    expect(message(() => schema.resolve({ shared: 1 }))).toBe('Invalid shared: expected true | false, got 1');
    expect(message(() => schema.resolve({ depth: 1 }, 'sasrec'))).toBe(
      'Invalid depth: sasrec has no setting "depth"; known: layers, dropout, temperature, fusion, shared',
    );
  });

  it('parses --set text into the typed value, checked', () => {
    expect(schema.parse('layers', '4')).toBe(4);
    expect(schema.parse('dropout', '0.25')).toBe(0.25);
    expect(schema.parse('dropout', '1e-1')).toBe(0.1);
    expect(schema.parse('fusion', 'generated')).toBe('generated');
    expect(schema.parse('shared', 'true')).toBe(true);
    expect(message(() => schema.parse('layers', 'two'))).toBe("Invalid layers: expected integer ≥ 1, got 'two'");
    expect(message(() => schema.parse('layers', ''))).toBe("Invalid layers: expected integer ≥ 1, got ''");
    expect(message(() => schema.parse('shared', 'yes'))).toBe("Invalid shared: expected true | false, got 'yes'");
  });

  it('rejects a default outside its own range at declaration', () => {
    expect(message(() => defineSettings({ rate: { kind: 'number', default: 2, max: 1, doc: '' } }))).toBe(
      'Invalid rate: its default 2 is not number ≤ 1',
    );
  });

  it('renders the options table, escaping pipes', () => {
    expect(schema.markdownTable().split('\n')).toEqual([
      '| setting | allowed | default | what it does |',
      '|---|---|---|---|',
      '| `layers` | integer ≥ 1 | `2` | encoder layers |',
      '| `dropout` | number in [0, 1) | `0.5` | dropout rate |',
      '| `temperature` | number > 0 | `0.07` | τ \\| of the softmax |',
      "| `fusion` | 'sum' \\| 'generated' | `'sum'` | how scores add up |",
      '| `shared` | true \\| false | `false` | share the table |',
    ]);
  });
});

describe('UntypedSettingsSchema', () => {
  it('is what every typed schema is, for code that holds many', () => {
    const untyped: UntypedSettingsSchema = schema;
    expect(untyped.parse('fusion', 'generated')).toBe('generated');
    expect(untyped.has('nonsense')).toBe(false);
  });
});
