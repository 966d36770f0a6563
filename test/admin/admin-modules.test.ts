/**
 * The administration page's script is ES modules under src/admin/page/modules (served by
 * browserModulesRouter): admin.html loads the entry as a module and preloads every module it
 * imports, directly or not, and nothing else; each module is type-checked.
 */
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const SRC = path.resolve(import.meta.dirname, '../../src');
const MODULES = path.join(SRC, 'admin/page/modules');
const html = readFileSync(path.join(SRC, 'admin/page/admin.html'), 'utf8');

/** The relative imports of a module's source. */
const importsOf = (source: string) =>
  [...source.matchAll(/^import\s+(?:[^'"]*?\s+from\s+)?'([^']+)';/gmu)].map((m) => m[1]!);

describe('administration page modules', () => {
  it('admin.html loads main.js as a module, with no classic or inline script', () => {
    const scripts = [...html.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/gu)];
    expect(scripts.map((m) => [m[1]!.trim(), m[2]!.trim()])).toEqual([
      ['type="module" src="/assets/admin/page/modules/main.js"', ''],
    ]);
  });

  it('admin.html preloads exactly the modules main.js imports, directly or not', () => {
    const graph = new Set<string>();
    const queue = [path.join(MODULES, 'main.js')];
    for (let file = queue.shift(); file !== undefined; file = queue.shift()) {
      if (graph.has(file)) continue;
      graph.add(file);
      for (const spec of importsOf(readFileSync(file, 'utf8'))) {
        expect(spec, `${file} imports ${spec}`).toMatch(/^\.{1,2}\/.*\.js$/u);
        queue.push(path.resolve(path.dirname(file), spec));
      }
    }
    graph.delete(path.join(MODULES, 'main.js'));
    const preloaded = [...html.matchAll(/<link rel="modulepreload" href="\/assets\/([^"]+)" \/>/gu)].map(
      (m) => path.join(SRC, m[1]!),
    );
    expect(new Set(preloaded)).toEqual(graph);
    expect(preloaded.length).toBe(graph.size);
    // Every module of the folder is used.
    for (const name of readdirSync(MODULES).filter((n) => n.endsWith('.js') && n !== 'main.js')) {
      expect(graph.has(path.join(MODULES, name)), name).toBe(true);
    }
  });

  it('every module starts with // @ts-check', () => {
    for (const name of readdirSync(MODULES).filter((n) => n.endsWith('.js'))) {
      expect(readFileSync(path.join(MODULES, name), 'utf8').startsWith('// @ts-check\n'), name).toBe(true);
    }
  });
});
