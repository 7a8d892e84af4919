// The README code blocks of check-readme-examples.mjs: which block is the example, and the files it
// is saved as.
import { MODULE_KINDS } from './example-project.mjs';

/** The first ```ts / ```js / ```typescript / ```javascript block: { language: 'ts' | 'js', code } or undefined. */
export function firstCodeBlock(markdown) {
  const lines = markdown.split(/\r?\n/);
  for (let index = 0; index < lines.length; index++) {
    const open = /^ {0,3}(`{3,}|~{3,})\s*([\w-]*)/.exec(lines[index]);
    if (!open) continue;
    const fence = open[1];
    const language = open[2].toLowerCase();
    const body = [];
    let end = index + 1;
    for (; end < lines.length; end++) {
      if (new RegExp(`^ {0,3}${fence[0]}{${fence.length},}\\s*$`).test(lines[end])) break;
      body.push(lines[end]);
    }
    if (['ts', 'typescript'].includes(language)) return { language: 'ts', code: `${body.join('\n')}\n` };
    if (['js', 'javascript'].includes(language)) return { language: 'js', code: `${body.join('\n')}\n` };
    index = end; // skip the other block (sh, text, ...) entirely
  }
  return undefined;
}

/**
 * Where an example block is saved and how it runs: a ```ts block as TypeScript in both module kinds
 * and as JavaScript (.mjs in the CommonJS project, .js in the ESM one); a ```js block as the latter two.
 */
export function variantsOf(language) {
  const javascript = [
    { kind: 'cjs', extension: 'mjs', language: 'js' },
    { kind: 'esm', extension: 'js', language: 'js' },
  ];
  return language === 'ts'
    ? [...MODULE_KINDS.map((kind) => ({ kind, extension: 'ts', language: 'ts' })), ...javascript]
    : javascript;
}
