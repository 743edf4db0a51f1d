import js from '@eslint/js';
import tseslint from 'typescript-eslint';

/**
 * The layers of src: what each top-level folder (or src/*.ts helper file) may import besides itself.
 * This table is the one place the allowed dependencies are written: the import rules below are generated
 * from it, test/architecture/import-graph.test.ts checks every import in src against it (and that the
 * folder graph has no cycle), and ARCHITECTURE.md shows it. '*' means every folder of src.
 * Every folder may also import the helper files (the keys ending in .ts) whose own dependencies it may
 * have, except the self-contained folders; a helper imports only what its row lists.
 */
export const layers = {
  'log.ts': [],
  'package-root.ts': [],
  'standalone-validator.ts': [],
  'heap-growth.ts': ['config'], // throws ConfigError, so a bad value exits 2 like any other config error
  identity: [],
  config: [],
  checkpoint: [],
  emulator: [],
  collector: ['identity', 'config'],
  ocsf: ['identity', 'config'],
  sinks: ['config'],
  permissions: ['collector', 'identity', 'config'],
  run: ['collector', 'ocsf', 'checkpoint', 'sinks', 'identity', 'config'],
  daemon: ['run', 'collector', 'ocsf', 'checkpoint', 'sinks', 'identity', 'config'],
  report: ['identity'], // the posture from stored events: pure, the CLI reads the state for it
  cli: ['*'],
};
/** Folders that import not even the helpers: the identity model is pure. */
export const selfContained = ['identity'];

// Edges the table forbids that a file may still have while a split is pending: each file is allowed only
// the extra folders listed. The import-graph test accepts these edges too, and leaves them out of its cycle
// check. Empty since the issue-13 splits; keep it so.
export const temporaryEdges = {};

// Files that may still import the collector past src/collector/index.ts (none since issue 13).
const temporaryDeepCollectorImports = [];

// Files over max-lines, and files with a function over max-lines-per-function (none since issue 13).
const temporaryLongFiles = [];
const temporaryLongFunctions = [];

/** Files nest at most this deep below src/<folder>/; the import-graph test fails on anything deeper. */
export const MAX_DEPTH = 6;

const isHelper = (layer) => layer.endsWith('.ts');
const helpers = Object.keys(layers).filter(isHelper);
const folders = Object.keys(layers).filter((layer) => !isHelper(layer));
const escape = (text) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * What a file of `layer` may import: folders (its own included) and helper files. A folder gets a helper
 * only when the helper's own dependencies are already its own, so a helper never smuggles in an edge (or a
 * cycle: config may not import heap-growth.ts, which imports config).
 */
export function allowedImports(layer, extra = []) {
  const listed = [...layers[layer], ...extra].flatMap((name) => (name === '*' ? folders : [name]));
  const allowedFolders = [
    ...new Set([...(isHelper(layer) ? [] : [layer]), ...listed.filter((n) => !isHelper(n))]),
  ];
  const bringsNothingNew = (helper) =>
    layers[helper].every((name) => name !== layer && (name === '*' || allowedFolders.includes(name)));
  const implicitHelpers =
    isHelper(layer) || selfContained.includes(layer) ? [] : helpers.filter(bringsNothingNew);
  return { folders: allowedFolders, helpers: [...new Set([...implicitHelpers, ...listed.filter(isHelper)])] };
}

function describeAllowed(layer, allowed) {
  const names = [
    ...allowed.folders.filter((name) => name !== layer).map((name) => `src/${name}`),
    ...(allowed.helpers.length === helpers.length
      ? ['the src/*.ts helpers']
      : allowed.helpers.map((name) => `src/${name}`)),
  ];
  const what = names.length === 0 ? 'nothing else in src' : `only ${names.join(', ')}`;
  return `src/${layer} may import ${what}, and nothing outside src (layers table in eslint.config.js, ARCHITECTURE.md).`;
}

/**
 * no-restricted-imports for the files of `layer` that sit `depth` folders below src: a relative specifier
 * that climbs exactly to src (`depth` times '../') must go on into an allowed folder or helper; one that
 * climbs further leaves src, which src never does. A specifier that climbs less stays in the own folder.
 */
function layerRule(layer, depth, extra) {
  const allowed = allowedImports(layer, extra);
  const targets = [
    ...allowed.folders.map((name) => `${escape(name)}/`),
    ...allowed.helpers.map((name) => `${escape(name.replace(/\.ts$/, '.js'))}$`),
  ];
  const climb = depth === 0 ? '(?:\\./|(?=\\.\\./))' : `(?:\\./)?(?:\\.\\./){${depth}}`;
  const regex = targets.length === 0 ? `^${climb}` : `^${climb}(?!${targets.join('|')})`;
  return ['error', { patterns: [{ regex, message: describeAllowed(layer, allowed) }] }];
}

const layerBlocks = Object.keys(layers).flatMap((layer) => {
  const depths = isHelper(layer) ? [0] : Array.from({ length: MAX_DEPTH }, (_, i) => i + 1);
  return depths.map((depth) => ({
    files: [isHelper(layer) ? `src/${layer}` : `src/${layer}/${'*/'.repeat(depth - 1)}*.ts`],
    rules: { 'no-restricted-imports': layerRule(layer, depth) },
  }));
});

const temporaryEdgeBlocks = Object.entries(temporaryEdges).map(([file, extra]) => {
  const [, layer, ...below] = file.split('/');
  return { files: [file], rules: { 'no-restricted-imports': layerRule(layer, below.length, extra) } };
});

/** The rules that need a TypeScript program: they make most of the lint time. */
export const typeAwareRules = {
  '@typescript-eslint/no-floating-promises': 'error',
  '@typescript-eslint/no-misused-promises': 'error',
};

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'data/**', 'out/**', 'coverage/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: {
      globals: { process: 'readonly', console: 'readonly', URL: 'readonly', Buffer: 'readonly' },
    },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    // Tests assert on parsed JSON events and state dumps, which are untyped by nature.
    files: ['test/**/*.ts'],
    rules: { '@typescript-eslint/no-explicit-any': 'off' },
  },
  {
    // test/tsconfig.json gives the project service the test program (tsconfig.json is the build's).
    files: ['**/*.ts'],
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: typeAwareRules,
  },
  ...layerBlocks,
  ...temporaryEdgeBlocks,
  {
    // The collector's public surface is src/collector/index.ts; only its own tests reach inside.
    files: ['src/**/*.ts', 'scripts/**/*.ts', 'test/**/*.ts'],
    ignores: ['src/collector/**', 'test/collector/**', 'test/support/**', ...temporaryDeepCollectorImports],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              regex: '^(?:\\.\\.?/)+(?:src/)?collector/(?!index\\.js$)',
              message: 'Import the collector through src/collector/index.ts, its public surface.',
            },
          ],
        },
      ],
    },
  },
  {
    // A test that cannot run says so (test/support/skip.ts); a silent it.skip or a stray .only does not.
    files: ['test/**/*.ts'],
    rules: {
      'no-restricted-syntax': [
        'error',
        {
          selector:
            'MemberExpression[object.name=/^(describe|it|test)$/][property.name=/^(skip|only|todo)$/]',
          message:
            'Skip through test/support/skip.ts (itUnless, skipTest): a skip must say why, and fails in CI.',
        },
      ],
    },
  },
  {
    // Counted as `wc -l` counts (blank lines and comments included), the way the limits were set.
    files: ['src/**/*.ts'],
    ignores: ['src/emulator/**', ...temporaryLongFiles],
    rules: { 'max-lines': ['error', { max: 350, skipBlankLines: false, skipComments: false }] },
  },
  {
    files: ['src/**/*.ts'],
    ignores: temporaryLongFunctions,
    rules: {
      'max-lines-per-function': [
        'error',
        { max: 80, skipBlankLines: false, skipComments: false, IIFEs: true },
      ],
    },
  },
);
