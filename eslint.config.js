import js from '@eslint/js';
import tseslint from 'typescript-eslint';

/**
 * Which src/ folder may import which (DESIGN §2: data flows one way, text → ingest → index →
 * retrieve → answer → channels; store and admin stand beside them). `types` lists folders a
 * folder may take only types from (`import type`). Imports inside a folder, of packages and of
 * src/errors.ts (which imports nothing) are always allowed.
 *
 *   lib       shared helpers (Lru, time-ordered ids, durable writes, parseBody): nothing of ours
 *   text      lib
 *   ingest    lib, text
 *   index     lib, text; types of ingest
 *   retrieve  lib, text, index; types of ingest
 *   answer    lib, text, ingest, index, retrieve (answer/store.ts is the store interface it owns)
 *   store     lib; types of answer (it implements answer/store.ts)
 *   channels  lib, text, ingest, index, retrieve, answer; channels/app.ts also admin, whose routers
 *             the one HTTP app mounts
 *   admin     lib, text, ingest, index, retrieve, answer, store
 *
 * src/config.ts, src/main.ts and src/start.ts are the composition root: they import anything,
 * and no folder imports them (a folder declares the settings type it needs; config.ts imports it).
 */
const LAYERS = {
  lib: { may: [] },
  text: { may: ['lib'] },
  ingest: { may: ['lib', 'text'] },
  index: { may: ['lib', 'text'], types: ['ingest'] },
  retrieve: { may: ['lib', 'text', 'index'], types: ['ingest'] },
  answer: { may: ['lib', 'text', 'ingest', 'index', 'retrieve'] },
  store: { may: ['lib'], types: ['answer'] },
  channels: { may: ['lib', 'text', 'ingest', 'index', 'retrieve', 'answer'] },
  admin: { may: ['lib', 'text', 'ingest', 'index', 'retrieve', 'answer', 'store'] },
};
const ROOT_FILES = ['config', 'main', 'start', 'node-version'];

/** `import … from '../<folder>/…'` at any depth (no folder inside src/<layer>/ is named like a layer). */
const folderImport = (folders) => `^(?:\\.\\./)+(?:${folders.join('|')})/`;

function layerRules(layer, { may, types = [] }, extra = []) {
  const allowed = [...may, ...extra];
  const summary = `src/${layer} may import ${allowed.length ? allowed.join(', ') : 'nothing of ours but errors.ts'}${types.length ? `, and types of ${types.join(', ')}` : ''} (DESIGN §2, eslint.config.js).`;
  const banned = Object.keys(LAYERS).filter((l) => l !== layer && !allowed.includes(l) && !types.includes(l));
  const patterns = [
    {
      regex: `^(?:\\.\\./)+(?:${ROOT_FILES.join('|')})\\.js$`,
      message: `The composition root imports the layers, not the other way round: ${summary}`,
    },
  ];
  if (banned.length) patterns.push({ regex: folderImport(banned), message: summary });
  if (types.length) patterns.push({ regex: folderImport(types), allowTypeImports: true, message: summary });
  return { '@typescript-eslint/no-restricted-imports': ['error', { patterns }] };
}

export default tseslint.config(
  { ignores: ['node_modules/', 'dist/', 'data/', 'coverage/', 'test-output/', 'tmp-scratch/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-restricted-properties': [
        'error',
        { object: 'process', property: 'env', message: 'Read configuration through src/config.ts only.' },
      ],
    },
  },
  {
    files: ['src/config.ts', 'scripts/**', 'test/**', 'vitest.config.ts'],
    rules: { 'no-restricted-properties': 'off' },
  },
  ...Object.entries(LAYERS).map(([layer, rule]) => ({
    files: [`src/${layer}/**`],
    rules: layerRules(layer, rule),
  })),
  { files: ['src/channels/app.ts'], rules: layerRules('channels', LAYERS.channels, ['admin']) },
  {
    // Browser ES modules (served as written; see tsconfig.browser.json). tsc checks them against
    // the DOM lib, which knows every browser global, so ESLint's no-undef would only repeat it
    // with a hand-kept list. The layer rules above still apply to their relative imports.
    files: ['src/lib/browser/**/*.js', 'src/channels/widget/frame/**/*.js', 'src/admin/page/modules/**/*.js'],
    languageOptions: { sourceType: 'module' },
    rules: { 'no-undef': 'off' },
  },
  {
    files: ['src/errors.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          patterns: [
            { regex: '^\\.', message: 'src/errors.ts imports nothing of ours: every folder imports it.' },
          ],
        },
      ],
    },
  },
);
