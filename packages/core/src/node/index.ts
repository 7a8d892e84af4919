/**
 * @file @imecd/core/node — the Node-only part of @imecd/core (it imports node:fs). Kept out of the
 * main entry so `@imecd/core` stays usable in a browser.
 */
export { writeFileAtomic } from './write-file-atomic';
