#!/usr/bin/env node
// Writes each settings schema's options table into its package README, between the markers
// `<!-- settings-table NAME -->` and `<!-- /settings-table -->`; with --check, writes nothing and
// exits 1 naming every README whose table differs from its schema (run by `pnpm test` after the build).
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));

/** Each table: the README it lives in, its marker name, and the built module + export that declares it. */
export const TABLES = [
  {
    readme: 'packages/imecd/README.md',
    name: 'imecd',
    module: 'packages/imecd/dist/index.js',
    schema: 'IMECD_SETTINGS',
  },
  {
    readme: 'packages/recommender/README.md',
    name: 'sasrec',
    module: 'packages/recommender/dist/index.js',
    schema: 'SASREC_SETTINGS',
  },
  {
    readme: 'packages/recommender/README.md',
    name: 'pop',
    module: 'packages/recommender/dist/index.js',
    schema: 'POP_SETTINGS',
  },
  {
    readme: 'packages/recommender/README.md',
    name: 'trainer',
    module: 'packages/recommender/dist/index.js',
    schema: 'TRAINER_SETTINGS',
  },
];

/** `text` with the table between NAME's markers replaced by `table`; throws when the markers are missing. */
export function withTable(text, name, table, file = 'README') {
  const open = `<!-- settings-table ${name} -->`;
  const close = '<!-- /settings-table -->';
  const start = text.indexOf(open);
  const end = start < 0 ? -1 : text.indexOf(close, start);
  if (start < 0 || end < 0) throw new Error(`${file}: no "${open}" … "${close}" markers for the ${name} table`);
  return `${text.slice(0, start + open.length)}\n${table}\n${text.slice(end)}`;
}

/** The READMEs whose tables differ from their schemas (written unless `check`). */
export async function updateTables({ check, repoRoot = root, tables = TABLES }) {
  const texts = new Map();
  for (const { readme, name, module, schema } of tables) {
    const exports = await import(pathToFileURL(`${repoRoot}/${module}`).href);
    if (!exports[schema]) throw new Error(`${module} has no export ${schema} (build first: pnpm build)`);
    const text = texts.get(readme) ?? readFileSync(`${repoRoot}/${readme}`, 'utf8');
    texts.set(readme, withTable(text, name, exports[schema].markdownTable(), readme));
  }
  const stale = [];
  for (const [readme, text] of texts) {
    if (readFileSync(`${repoRoot}/${readme}`, 'utf8') === text) continue;
    stale.push(readme);
    if (!check) writeFileSync(`${repoRoot}/${readme}`, text);
  }
  return stale;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const check = process.argv.includes('--check');
  const stale = await updateTables({ check });
  if (check && stale.length > 0) {
    console.error(`settings tables out of date in ${stale.join(', ')}: run node scripts/settings-tables.mjs`);
    process.exit(1);
  }
  console.log(stale.length > 0 ? `settings tables written: ${stale.join(', ')}` : 'settings tables: up to date');
}
