import type { Module } from '@imecd/nn';

/**
 * Runs module factories in order and returns what they built; if one throws (a taken variable
 * name), the modules already built are disposed first, so a failed construction leaves no
 * variable names registered behind it.
 */
export function buildAllOrNothing<M extends Module>(factories: readonly (() => M)[]): M[] {
  const built: M[] = [];
  try {
    for (const factory of factories) built.push(factory());
  } catch (error) {
    for (const module of built) module.dispose();
    throw error;
  }
  return built;
}
