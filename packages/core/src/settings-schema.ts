import { InvalidArgumentError } from './errors';

/**
 * A model's or trainer's settings declared once: kind, default, allowed range and a one-line
 * description. From the declaration come the typed defaults, validation whose error names the setting
 * and its range, the parsing of `--set key=text`, and the options table of a README.
 *
 * Why not a validation library: the four kinds below are all our settings have; the table, the
 * range in words and the `--set` text parsing would be written on top of any library anyway, and
 * core stays dependency-free for the data readers and the browser.
 */
export type SettingSpec = IntegerSetting | NumberSetting | ChoiceSetting | BooleanSetting;

interface SettingBase {
  /** One line for the options table: what the setting does (and where its default comes from). */
  readonly doc: string;
}

/** A whole number in [min, max] (each bound optional). */
export interface IntegerSetting extends SettingBase {
  readonly kind: 'integer';
  readonly default: number;
  readonly min?: number;
  readonly max?: number;
}

/** A finite number between min and max, each bound inclusive unless marked exclusive. */
export interface NumberSetting extends SettingBase {
  readonly kind: 'number';
  readonly default: number;
  readonly min?: number;
  readonly max?: number;
  readonly exclusiveMin?: boolean;
  readonly exclusiveMax?: boolean;
}

/** One of a fixed list of names. */
export interface ChoiceSetting extends SettingBase {
  readonly kind: 'choice';
  readonly default: string;
  readonly values: readonly string[];
}

export interface BooleanSetting extends SettingBase {
  readonly kind: 'boolean';
  readonly default: boolean;
}

export type SettingSpecs = Readonly<Record<string, SettingSpec>>;

/** The value type a spec stands for: a choice's names as a union, a boolean, or a number. */
export type SettingValue<S extends SettingSpec> = S extends { kind: 'choice'; values: readonly (infer T)[] }
  ? T
  : S extends BooleanSetting
    ? boolean
    : number;

/** The typed settings a declaration stands for. */
export type SettingsOf<D extends SettingSpecs> = { -readonly [K in keyof D]: SettingValue<D[K]> };

export interface SettingsSchema<D extends SettingSpecs> {
  readonly specs: D;
  /** Setting names in declaration order (the table's order). */
  readonly keys: readonly (keyof D & string)[];
  readonly defaults: Readonly<SettingsOf<D>>;
  /** Whether `key` is one of the declared settings. */
  has(key: string): key is keyof D & string;
  /** `value` if it is allowed for `key`; otherwise an InvalidArgumentError naming the setting and its range. */
  check<K extends keyof D & string>(key: K, value: unknown): SettingsOf<D>[K];
  /**
   * The defaults overlaid with `values`, every value checked; a key the schema does not declare is an
   * InvalidArgumentError listing the declared ones (`owner` names whose settings they are).
   */
  resolve(values?: Readonly<Record<string, unknown>>, owner?: string): SettingsOf<D>;
  /** The value `--set key=text` gives, checked (numbers, `true`/`false`, or a choice's name). */
  parse<K extends keyof D & string>(key: K, text: string): SettingsOf<D>[K];
  /** The allowed values in words, e.g. "integer ≥ 1", "number in [0, 1)", "'sum' | 'generated'". */
  describe(key: keyof D & string): string;
  /** A Markdown table: setting, allowed values, default, description (what a README shows). */
  markdownTable(): string;
}

/**
 * A schema seen without its declaration's types: what code that holds many models' schemas (a
 * registry, a command line) works with. Every `SettingsSchema` is one.
 */
export interface UntypedSettingsSchema {
  readonly keys: readonly string[];
  readonly defaults: Readonly<Record<string, number | string | boolean>>;
  has(key: string): boolean;
  resolve(values?: Readonly<Record<string, unknown>>, owner?: string): Record<string, number | string | boolean>;
  parse(key: string, text: string): number | string | boolean;
  describe(key: string): string;
  markdownTable(): string;
}

function describeSpec(spec: SettingSpec): string {
  switch (spec.kind) {
    case 'boolean':
      return 'true | false';
    case 'choice':
      return spec.values.map((value) => `'${value}'`).join(' | ');
    case 'integer':
      return `integer${describeRange(spec.min, spec.max, false, false)}`;
    case 'number':
      return `number${describeRange(spec.min, spec.max, spec.exclusiveMin ?? false, spec.exclusiveMax ?? false)}`;
  }
}

function describeRange(min: number | undefined, max: number | undefined, openMin: boolean, openMax: boolean): string {
  if (min !== undefined && max !== undefined) return ` in ${openMin ? '(' : '['}${min}, ${max}${openMax ? ')' : ']'}`;
  if (min !== undefined) return ` ${openMin ? '>' : '≥'} ${min}`;
  if (max !== undefined) return ` ${openMax ? '<' : '≤'} ${max}`;
  return '';
}

function allowed(spec: SettingSpec, value: unknown): boolean {
  switch (spec.kind) {
    case 'boolean':
      return typeof value === 'boolean';
    case 'choice':
      return typeof value === 'string' && spec.values.includes(value);
    case 'integer':
    case 'number': {
      if (typeof value !== 'number' || !Number.isFinite(value)) return false;
      if (spec.kind === 'integer' && !Number.isInteger(value)) return false;
      const openMin = spec.kind === 'number' && spec.exclusiveMin === true;
      const openMax = spec.kind === 'number' && spec.exclusiveMax === true;
      if (spec.min !== undefined && (openMin ? value <= spec.min : value < spec.min)) return false;
      if (spec.max !== undefined && (openMax ? value >= spec.max : value > spec.max)) return false;
      return true;
    }
  }
}

const shown = (value: unknown) => (typeof value === 'string' ? `'${value}'` : String(value));

/**
 * Declares a group of settings. `const` keeps choices' names as literal types, so
 * `SettingsOf<typeof schema.specs>` types `generator` as `'approximator' | 'separate'`.
 */
export function defineSettings<const D extends SettingSpecs>(specs: D): SettingsSchema<D> {
  const keys = Object.keys(specs) as (keyof D & string)[];
  for (const key of keys) {
    const spec = specs[key]!;
    if (!allowed(spec, spec.default))
      throw new InvalidArgumentError(key, `its default ${shown(spec.default)} is not ${describeSpec(spec)}`);
  }
  const has = (key: string): key is keyof D & string => Object.hasOwn(specs, key);
  const check = <K extends keyof D & string>(key: K, value: unknown): SettingsOf<D>[K] => {
    const spec = specs[key]!;
    if (!allowed(spec, value))
      throw new InvalidArgumentError(key, `expected ${describeSpec(spec)}, got ${shown(value)}`);
    return value as SettingsOf<D>[K];
  };
  const defaults = Object.freeze(Object.fromEntries(keys.map((key) => [key, specs[key]!.default]))) as Readonly<
    SettingsOf<D>
  >;
  return {
    specs,
    keys,
    defaults,
    has,
    check,
    resolve(values = {}, owner = 'the model') {
      const resolved: Record<string, unknown> = { ...defaults };
      for (const [key, value] of Object.entries(values)) {
        if (!has(key))
          throw new InvalidArgumentError(key, `${owner} has no setting "${key}"; known: ${keys.join(', ')}`);
        if (value === undefined) continue;
        resolved[key] = check(key, value);
      }
      return resolved as SettingsOf<D>;
    },
    parse(key, text) {
      const spec = specs[key]!;
      if (spec.kind === 'boolean') {
        if (text === 'true' || text === 'false') return check(key, text === 'true');
        throw new InvalidArgumentError(key, `expected true | false, got '${text}'`);
      }
      if (spec.kind === 'choice') return check(key, text);
      const value = text.trim() === '' ? Number.NaN : Number(text);
      if (Number.isNaN(value)) throw new InvalidArgumentError(key, `expected ${describeSpec(spec)}, got '${text}'`);
      return check(key, value);
    },
    describe: (key) => describeSpec(specs[key]!),
    markdownTable() {
      const rows = keys.map((key) => {
        const spec = specs[key]!;
        const cell = (text: string) => text.replaceAll('|', '\\|');
        return `| \`${key}\` | ${cell(describeSpec(spec))} | \`${shown(spec.default)}\` | ${cell(spec.doc)} |`;
      });
      return ['| setting | allowed | default | what it does |', '|---|---|---|---|', ...rows].join('\n');
    },
  };
}
