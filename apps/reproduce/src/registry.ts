import { createDefaultRegistry } from '@imecd/experiments';

/** Every model the app trains, in table order; commands build, check and list models only through it. */
export const MODELS = createDefaultRegistry();
