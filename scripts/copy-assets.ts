/**
 * Part of `npm run build`: tsc compiles only TypeScript, so the files the server reads at run time
 * beside its modules (the web widget, the admin page, the lexicon data) are copied into dist/.
 */
import { cp, readdir } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

async function* files(dir: string): AsyncGenerator<string> {
  for (const e of await readdir(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) yield* files(p);
    else if (!/\.ts$/u.test(e.name)) yield p;
  }
}

let copied = 0;
for await (const file of files(path.join(root, 'src'))) {
  const target = path.join(root, 'dist', path.relative(root, file));
  await cp(file, target);
  copied++;
}
console.log(`copied ${copied} asset file(s) into dist/src`);
