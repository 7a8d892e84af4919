import { fileURLToPath } from 'node:url';

const packagesDir = fileURLToPath(new URL('./packages/', import.meta.url));

/**
 * Tests import sibling packages from source, so `vitest run` needs no build first:
 * `@imecd/x` → packages/x/src/index.ts and `@imecd/x/sub` → packages/x/src/sub/index.ts.
 */
export function workspaceAliases() {
  return [
    { find: /^@imecd\/([a-z0-9-]+)$/, replacement: `${packagesDir}$1/src/index.ts` },
    { find: /^@imecd\/([a-z0-9-]+)\/([a-z0-9-]+)$/, replacement: `${packagesDir}$1/src/$2/index.ts` },
  ];
}

/**
 * tfjs's cpu backend prints an advertisement for tfjs-node on its first tensor in every test file
 * that does not go through `selectBackend` (which keeps it quiet): drop that one message from the
 * test output, nothing else.
 */
export function dropTfjsNodeAdvert(log: string): false | undefined {
  return log.includes('looks like you are running TensorFlow.js in Node.js') ? false : undefined;
}
