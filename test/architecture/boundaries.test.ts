// The linter bites: for every pair of layers of src, an import the layers table forbids fails `npm run lint`
// and an allowed one passes, at any depth below the folder; deep imports into the collector fail outside it;
// the size limits apply. The type-aware rules are switched off here: they need a TypeScript program, which
// would make this test slow, and are not what it is about.
import { beforeAll, describe, expect, it } from '@jest/globals';
import { ESLint } from 'eslint';
import { packageRoot } from '../../src/package-root.js';
import { isHelper, loadLintConfig, type LintConfig } from './lint-config.js';

let config: LintConfig;
let eslint: ESLint;

beforeAll(async () => {
  config = await loadLintConfig();
  eslint = new ESLint({
    cwd: packageRoot,
    overrideConfig: {
      languageOptions: { parserOptions: { projectService: false } },
      rules: Object.fromEntries(Object.keys(config.typeAwareRules).map((rule) => [rule, 'off'])),
    },
  });
});

/** Lints `specifiers` as re-exports from `file`; returns [specifier, rule] for each one that was refused. */
async function refused(file: string, specifiers: string[]): Promise<Array<[string, string]>> {
  const code = specifiers.map((s) => `export * from '${s}';\n`).join('');
  const [result] = await eslint.lintText(code, { filePath: file });
  return result!.messages
    .filter((m) => m.ruleId?.endsWith('no-restricted-imports'))
    .map((m) => [specifiers[m.line - 1]!, m.ruleId!]);
}

async function refusedSpecifiers(file: string, specifiers: string[]): Promise<string[]> {
  return (await refused(file, specifiers)).map(([specifier]) => specifier);
}

describe('import boundaries', () => {
  it('refuses the forbidden imports issue 13 names', async () => {
    expect(await refused('src/collector/x.ts', ['../ocsf/event.js'])).toEqual([
      ['../ocsf/event.js', 'no-restricted-imports'],
    ]);
    expect(await refusedSpecifiers('src/collector/x.ts', ['../sinks/sink.js', '../run/run.js'])).toHaveLength(
      2,
    );
    expect(await refusedSpecifiers('src/collector/x.ts', ['../checkpoint/index.js'])).toHaveLength(1);
    expect(await refusedSpecifiers('src/sinks/x.ts', ['../collector/index.js'])).toHaveLength(1);
    expect(await refusedSpecifiers('src/checkpoint/x.ts', ['../collector/index.js'])).toHaveLength(1);
    expect(await refusedSpecifiers('src/run/x.ts', ['../emulator/server.js'])).toHaveLength(1);
    expect(await refusedSpecifiers('src/identity/x.ts', ['../config/config.js', '../log.js'])).toHaveLength(
      2,
    );
  });

  it('says what the folder may import instead', async () => {
    const [result] = await eslint.lintText("import { x } from '../ocsf/event.js';\nexport { x };\n", {
      filePath: 'src/collector/x.ts',
    });
    expect(result!.messages.map((m) => m.message)).toEqual([
      expect.stringContaining('src/collector may import only src/identity, src/config, the src/*.ts helpers'),
    ]);
  });

  it('passes the allowed imports, including type-only ones', async () => {
    const [result] = await eslint.lintText(
      [
        "import type { Identity } from '../identity/identity.js';",
        "import { ConfigError } from '../config/errors.js';",
        "import { silentLogger } from '../log.js';",
        "import { x } from './clients.js';",
        'export { ConfigError, silentLogger, x, type Identity };',
        '',
      ].join('\n'),
      { filePath: 'src/collector/x.ts' },
    );
    expect(result!.messages).toEqual([]);
    expect(await refusedSpecifiers('src/run/x.ts', ['../collector/index.js', '../ocsf/event.js'])).toEqual(
      [],
    );
    expect(await refusedSpecifiers('src/cli/x.ts', ['../emulator/server.js', '../daemon/daemon.js'])).toEqual(
      [],
    );
    expect(await refusedSpecifiers('scripts/x.ts', ['../src/emulator/model.js'])).toEqual([]);
    expect(await refusedSpecifiers('test/e2e/x.ts', ['../../src/emulator/model.js'])).toEqual([]);
  });

  it('judges an import by where it lands, at any depth below the folder', async () => {
    const file = 'src/collector/aws/clients.ts';
    expect(await refusedSpecifiers(file, ['../../ocsf/event.js', '../../../scripts/bench.js'])).toHaveLength(
      2,
    );
    expect(
      await refusedSpecifiers(file, [
        '../../identity/identity.js',
        '../iam/readers.js',
        './x.js',
        '../index.js',
      ]),
    ).toEqual([]);
    // Climbing past src is refused for every folder, the helpers included.
    expect(await refusedSpecifiers('src/cli/x.ts', ['../../scripts/bench.js'])).toHaveLength(1);
    expect(await refusedSpecifiers('src/log.ts', ['../test/x.js', './config/config.js'])).toHaveLength(2);
    expect(await refusedSpecifiers('src/heap-growth.ts', ['./config/errors.js'])).toEqual([]);
  });

  it('enforces exactly the layers table, for every pair of layers', async () => {
    const names = Object.keys(config.layers);
    for (const from of names) {
      const allowed = config.allowedImports(from);
      const file = isHelper(from) ? `src/${from}` : `src/${from}/x.ts`;
      const prefix = isHelper(from) ? './' : '../';
      const targets = names.filter((to) => to !== from);
      const specifiers = targets.map((to) =>
        isHelper(to) ? `${prefix}${to.replace(/\.ts$/, '.js')}` : `${prefix}${to}/index.js`,
      );
      const expected = targets
        .filter((to) => !(isHelper(to) ? allowed.helpers : allowed.folders).includes(to))
        .map((to) => specifiers[targets.indexOf(to)]);
      const got = (await refused(file, specifiers)).filter(([, rule]) => rule === 'no-restricted-imports');
      expect({ from, refused: got.map(([specifier]) => specifier) }).toEqual({ from, refused: expected });
    }
  });

  it('lets only the collector and its own tests import past src/collector/index.ts', async () => {
    expect(await refused('src/run/x.ts', ['../collector/source.js'])).toEqual([
      ['../collector/source.js', '@typescript-eslint/no-restricted-imports'],
    ]);
    expect(await refusedSpecifiers('scripts/x.ts', ['../src/collector/clients.js'])).toHaveLength(1);
    expect(await refusedSpecifiers('test/e2e/x.ts', ['../../src/collector/source.js'])).toHaveLength(1);
    expect(await refusedSpecifiers('test/collector/x.ts', ['../../src/collector/source.js'])).toEqual([]);
    expect(await refusedSpecifiers('src/collector/aws/x.ts', ['../iam/readers.js', '../source.js'])).toEqual(
      [],
    );
  });
});

describe('size limits', () => {
  const lines = (n: number) =>
    Array.from({ length: n }, (_, i) => `export const v${i} = ${i};`).join('\n') + '\n';
  const fn = (bodyLines: number) =>
    `export function f(): number {\n  let n = 0;\n${'  n += 1;\n'.repeat(bodyLines - 4)}  return n;\n}\n`;

  async function rulesHit(file: string, code: string): Promise<string[]> {
    const [result] = await eslint.lintText(code, { filePath: file });
    return result!.messages.map((m) => m.ruleId ?? m.message);
  }

  it('refuses a file over 350 lines in src, outside src/emulator', async () => {
    expect(await rulesHit('src/run/x.ts', lines(350))).toEqual([]);
    expect(await rulesHit('src/run/x.ts', lines(351))).toEqual(['max-lines']);
    expect(await rulesHit('src/emulator/x.ts', lines(400))).toEqual([]);
  });

  it('refuses a function over 80 lines', async () => {
    expect(await rulesHit('src/sinks/x.ts', fn(80))).toEqual([]);
    expect(await rulesHit('src/sinks/x.ts', fn(81))).toEqual(['max-lines-per-function']);
  });
});
