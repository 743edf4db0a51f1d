// A throwaway package root for precompiled validators written by a test: inside the checkout, so the modules'
// require("ajv/...") resolve through its node_modules as the build's own do.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { packageRoot } from '../../src/package-root.js';
import { standaloneModulePath } from '../../src/standalone-validator.js';

export interface PrebuiltRoot {
  root: string;
  write(name: string, code: string): void;
  remove(): void;
}

export function prebuiltRoot(): PrebuiltRoot {
  const cache = join(packageRoot, 'node_modules', '.cache');
  mkdirSync(cache, { recursive: true });
  const root = mkdtempSync(join(cache, 'prebuilt-validators-'));
  return {
    root,
    write(name, code) {
      const path = standaloneModulePath(root, name);
      mkdirSync(dirname(path), { recursive: true });
      writeFileSync(path, code);
    },
    remove: () => rmSync(root, { recursive: true, force: true }),
  };
}
