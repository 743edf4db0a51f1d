import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { expect } from '@jest/globals';
import { packageRoot } from '../../src/package-root.js';

// Golden files: test/fixtures/ocsf/<version>/<case>.json hold the exact event, minus what changes on every
// run (time, metadata.uid, metadata.correlation_uid). UPDATE_GOLDEN=1 rewrites them instead of comparing.

export const goldenRoot = join(packageRoot, 'test', 'fixtures', 'ocsf');

/** The event as compared: a copy without `time`, `metadata.uid` and `metadata.correlation_uid`. */
export function normalizeForGolden(event: unknown): unknown {
  const copy = structuredClone(event) as Record<string, unknown>;
  delete copy.time;
  const metadata = copy.metadata as Record<string, unknown> | undefined;
  if (metadata) {
    delete metadata.uid;
    delete metadata.correlation_uid;
  }
  return copy;
}

export function goldenText(event: unknown): string {
  return `${JSON.stringify(normalizeForGolden(event), null, 2)}\n`;
}

/** Compares byte for byte with test/fixtures/ocsf/<version>/<name>.json (or writes it under UPDATE_GOLDEN=1). */
export function expectGolden(version: string, name: string, event: unknown): void {
  const file = join(goldenRoot, version, `${name}.json`);
  const actual = goldenText(event);
  if (process.env.UPDATE_GOLDEN === '1') {
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, actual);
    return;
  }
  if (!existsSync(file)) throw new Error(`golden file ${file} is missing: run the test with UPDATE_GOLDEN=1`);
  expect(actual).toBe(readFileSync(file, 'utf8'));
}
