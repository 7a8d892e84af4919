/**
 * @file @imecd/core — what every @imecd package shares and nothing more: typed errors
 * (stable `code`, `isInstance` that survives duplicate installs) and a seeded generator.
 * No tensors here, so data and metrics code can use it without tfjs.
 */
export { DataFormatError, ImecdError, InvalidArgumentError, ShapeMismatchError } from './errors';
export type { Rng } from './random';
export { createRng, deriveSeed } from './random';
export type {
  BooleanSetting,
  ChoiceSetting,
  IntegerSetting,
  NumberSetting,
  SettingSpec,
  SettingSpecs,
  SettingsOf,
  SettingsSchema,
  SettingValue,
} from './settings-schema';
export { defineSettings } from './settings-schema';
