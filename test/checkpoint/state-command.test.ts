// The state and validate-config commands through commander, as the CLI wires them.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Command } from 'commander';
import { afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import { openCheckpoint } from '../../src/checkpoint/index.js';
import { registerStateCommand } from '../../src/cli/state-command.js';
import { registerValidateConfigCommand } from '../../src/cli/validate-config-command.js';

let dir: string;
let configPath: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'iam-state-cli-'));
  configPath = join(dir, 'config.yaml');
  writeFileSync(configPath, 'state: {path: ./state/state.db}\nsinks: [{type: stdout}]\n');
});

afterEach(() => {
  process.exitCode = undefined;
});

/** Runs the command and returns what it wrote to stdout and stderr. */
async function run(args: string[]): Promise<{ out: string; err: string }> {
  const program = new Command().exitOverride();
  registerStateCommand(program);
  registerValidateConfigCommand(program);
  let out = '';
  let err = '';
  const writeOut = process.stdout.write.bind(process.stdout);
  const writeErr = process.stderr.write.bind(process.stderr);
  process.stdout.write = ((chunk: string) => ((out += chunk), true)) as typeof process.stdout.write;
  process.stderr.write = ((chunk: string) => ((err += chunk), true)) as typeof process.stderr.write;
  try {
    await program.parseAsync(['node', 'iam-inventory', ...args]);
  } finally {
    process.stdout.write = writeOut;
    process.stderr.write = writeErr;
  }
  return { out, err };
}

describe('state show / reset', () => {
  it('shows an absent state file as empty', async () => {
    const { out } = await run(['state', 'show', '--config', configPath, '--json']);
    expect(JSON.parse(out)).toMatchObject({ scopes: [], deadLetters: 0 });
  });

  it('shows, then resets one account with --yes', async () => {
    const cp = openCheckpoint(join(dir, 'state/state.db'));
    cp.commitDelivered([
      { scope: '111111111111', key: 'u/a', kind: 'iam_user', fingerprint: 'f', event: {} },
    ]);
    cp.commitDelivered([
      { scope: '222222222222', key: 'u/b', kind: 'iam_user', fingerprint: 'f', event: {} },
    ]);
    cp.setWatermark('111111111111', Date.UTC(2024, 0, 2, 3, 4, 5), ['u/a']);
    const id = cp.startRun({ scope: '111111111111', mode: 'incremental' });
    cp.finishRun(id, '111111111111', {
      status: 'failed',
      usersSeen: 1,
      eventsSent: 0,
      error: 'sink siem: HTTP 500',
    });
    cp.close();

    const human = (await run(['state', 'show', '--config', configPath])).out;
    expect(human).toContain('2024-01-02T03:04:05.000Z');
    expect(human).toContain('111111111111: last run error: sink siem: HTTP 500');
    const json = JSON.parse((await run(['state', 'show', '--config', configPath, '--json'])).out);
    expect(json.scopes.map((s: { scope: string }) => s.scope)).toEqual(['111111111111', '222222222222']);

    const reset = await run(['state', 'reset', '--config', configPath, '--account', '111111111111', '--yes']);
    expect(reset.out).toContain('reset account 111111111111: 1 identities, 1 watermarks, 1 runs');
    const after = JSON.parse((await run(['state', 'show', '--config', configPath, '--json'])).out);
    expect(after.scopes.map((s: { scope: string }) => s.scope)).toEqual(['222222222222']);
  });

  it('refuses to reset without --yes when there is no terminal', async () => {
    const stdinIsTty = process.stdin.isTTY;
    process.stdin.isTTY = false;
    try {
      await expect(run(['state', 'reset', '--config', configPath])).rejects.toMatchObject({
        name: 'UsageError',
        exitCode: 2,
        message: expect.stringContaining('pass --yes'),
      });
    } finally {
      process.stdin.isTTY = stdinIsTty;
    }
  });

  it('refuses to reset while another writer holds the state', async () => {
    const holder = openCheckpoint(join(dir, 'state/state.db'));
    try {
      await expect(run(['state', 'reset', '--config', configPath, '--yes'])).rejects.toMatchObject({
        name: 'StateLockedError',
        exitCode: 2,
      });
    } finally {
      holder.close();
    }
  });
});

describe('validate-config', () => {
  it('says OK, with warnings', async () => {
    const file = join(dir, 'clear.yaml');
    writeFileSync(file, 'sinks: [{type: sekoia, intake_key: clear-intake-key}]\n');
    const { out, err } = await run(['validate-config', '--config', file]);
    expect(out).toBe(`config OK: ${file}\n`);
    expect(err).toContain('sinks[0].intake_key is a secret written in clear');
    expect(process.exitCode).toBe(0);
  });

  it('prints the error and sets exit code 2', async () => {
    const file = join(dir, 'bad.yaml');
    writeFileSync(file, 'sinks: [{type: stdout, colour: red}]\n');
    const { err } = await run(['validate-config', '--config', file]);
    expect(err).toContain(`${file}:1: unknown key sinks[0].colour`);
    expect(process.exitCode).toBe(2);
  });
});
