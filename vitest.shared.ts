import { readdirSync, existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';

const root = fileURLToPath(new URL('.', import.meta.url));

/** Tests import sibling packages from source, so `vitest run` needs no build first. */
export function workspaceAliases(): Record<string, string> {
  const aliases: Record<string, string> = {};
  for (const dir of readdirSync(join(root, 'packages'))) {
    const entry = join(root, 'packages', dir, 'src', 'index.ts');
    if (existsSync(entry)) aliases[`@imecd/${dir}`] = entry;
  }
  return aliases;
}
