// A test that cannot run here (a tool or a source folder is missing) says so, as one line in the output:
//   SKIPPED: <file> › <test> because <reason>
// and Jest counts it as skipped, not passed. In CI (CI set, and not "false" or "0") it fails instead: CI
// must run the whole suite, and .ci/run installs what the suite needs.
import { expect, it } from '@jest/globals';
import { relative } from 'node:path';
import { packageRoot } from '../../src/package-root.js';

type TestBody = () => Promise<void> | void;
export type TestFunction = (name: string, body: TestBody, timeout?: number) => void;

export function inCi(env: NodeJS.ProcessEnv = process.env): boolean {
  const value = env.CI?.trim().toLowerCase();
  return value !== undefined && value !== '' && value !== 'false' && value !== '0';
}

/** Registers the test `name` as not run because of `reason`: a SKIPPED line, or in CI a failing test. */
export function skipTest(name: string, reason: string): void {
  const testPath = expect.getState().testPath;
  const where = testPath ? `${relative(packageRoot, testPath)} › ` : '';
  if (inCi()) {
    it(name, () => {
      throw new Error(
        `${where}${name} cannot run because ${reason}; in CI every test must run (see .ci/run)`,
      );
    });
    return;
  }
  // Straight to stderr: Jest drops the console output of a file whose tests were all skipped.
  process.stderr.write(`SKIPPED: ${where}${name} because ${reason}\n`);
  // eslint-disable-next-line no-restricted-syntax -- the one place a test is skipped, and it said why
  it.skip(name, () => undefined);
}

/** `it` when nothing is `missing`; otherwise an `it` that skips each test for that reason (see skipTest). */
export function itUnless(missing: string | undefined): TestFunction {
  if (missing === undefined) return it;
  return (name) => skipTest(name, missing);
}
