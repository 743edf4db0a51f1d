// The architecture tests read the layers table from eslint.config.js itself, so they check the one table
// the linter enforces (it is JavaScript: loaded by URL, typed here).
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { packageRoot } from '../../src/package-root.js';

export interface AllowedImports {
  folders: string[];
  helpers: string[];
}

export interface LintConfig {
  layers: Record<string, string[]>;
  temporaryEdges: Record<string, string[]>;
  typeAwareRules: Record<string, unknown>;
  MAX_DEPTH: number;
  allowedImports(layer: string, extra?: string[]): AllowedImports;
}

export async function loadLintConfig(): Promise<LintConfig> {
  return (await import(pathToFileURL(join(packageRoot, 'eslint.config.js')).href)) as LintConfig;
}

/** A layer is a top-level folder of src ('collector') or a helper file directly in src ('log.ts'). */
export const isHelper = (layer: string): boolean => layer.endsWith('.ts');
