// Builds a plain-JavaScript copy of src/checkpoint that a child `node` process can import (Node 20 cannot run
// TypeScript), so that the lock is tested across two real processes with the project's own code.
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ts from 'typescript';
import { packageRoot } from '../../src/package-root.js';

/** Returns the path of the compiled src/checkpoint/index.js inside a temporary package. */
export function buildCheckpointModule(): string {
  const out = mkdtempSync(join(tmpdir(), 'iam-checkpoint-child-'));
  writeFileSync(
    join(out, 'package.json'),
    JSON.stringify({ name: 'child', version: '0.0.0-test', type: 'module' }),
  );
  mkdirSync(join(out, 'schemas'));
  symlinkSync(join(packageRoot, 'node_modules'), join(out, 'node_modules'), 'dir');
  const files = [
    ...readdirSync(join(packageRoot, 'src/checkpoint'))
      .filter((f) => f.endsWith('.ts'))
      .map((f) => `src/checkpoint/${f}`),
    'src/package-root.ts',
  ];
  for (const file of files) {
    const source = readFileSync(join(packageRoot, file), 'utf8');
    const { outputText } = ts.transpileModule(source, {
      compilerOptions: {
        module: ts.ModuleKind.ESNext,
        target: ts.ScriptTarget.ES2022,
        esModuleInterop: true,
      },
    });
    const target = join(out, file.replace(/\.ts$/, '.js'));
    mkdirSync(join(target, '..'), { recursive: true });
    writeFileSync(target, outputText);
  }
  return join(out, 'src/checkpoint/index.js');
}
