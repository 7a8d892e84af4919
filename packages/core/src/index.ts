/**
 * @file @imecd/core — what every @imecd package shares and nothing more: typed errors
 * (stable `code`, `isInstance` that survives duplicate installs), a seeded generator, the shapes of
 * per-item side information (`FeatureMatrix`, `ItemCodes`) and `padHistories`, so models take
 * features and histories without depending on a data reader. No tensors here, so data and metrics
 * code can use it without tfjs; no Node built-ins either (`writeFileAtomic` is in `@imecd/core/node`).
 */
export { DataFormatError, ImecdError, InvalidArgumentError, ShapeMismatchError } from './errors';
export type { FeatureMatrix, ItemCodes } from './item-features';
export { padHistories } from './pad-histories';
export { createRng, deriveSeed, type Rng } from './random';
export {
  type BooleanSetting,
  type ChoiceSetting,
  defineSettings,
  type IntegerSetting,
  type NumberSetting,
  type SettingSpec,
  type SettingSpecs,
  type SettingsOf,
  type SettingsSchema,
  type SettingValue,
  type UntypedSettingsSchema,
} from './settings-schema';
