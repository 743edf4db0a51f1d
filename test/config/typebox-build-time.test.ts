// TypeBox is a build-time tool: the running program validates with the generated schemas/*.json and takes
// only types from the TypeBox sources. A demo run (config, sinks, OCSF, state) with every import of typebox
// refused proves it, so the daemon carries neither the library nor its memory.
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from '@jest/globals';
import { CLI, collect, readEvents, tempDir } from '../e2e/cli.js';

const REFUSE_TYPEBOX = `
export async function resolve(specifier, context, next) {
  if (specifier === 'typebox' || specifier.startsWith('typebox/'))
    throw new Error('typebox imported at run time by ' + context.parentURL);
  return next(specifier, context);
}`;

describe('the running program', () => {
  it('never loads typebox', async () => {
    const dir = tempDir('iam-inventory-typebox-');
    const hook = join(dir, 'refuse-typebox.mjs');
    writeFileSync(
      hook,
      `import { register } from 'node:module';\nregister(${JSON.stringify(`data:text/javascript,${encodeURIComponent(REFUSE_TYPEBOX)}`)});\n`,
    );
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
    };
    delete env.NODE_OPTIONS;
    const out = join(dir, 'events.ndjson');
    const args = ['demo', '--users', '5', '--state', join(dir, 'state.db'), '--out', out];
    const child = spawn(process.execPath, ['--import', pathToFileURL(hook).href, CLI, ...args], {
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const r = await collect(child);
    expect(r.stderr).not.toContain('typebox imported');
    expect(r.code).toBe(0);
    expect(readEvents(out).length).toBeGreaterThan(0);
  });
});
