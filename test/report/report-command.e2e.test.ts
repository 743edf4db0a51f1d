// `iam-inventory report` through the built CLI on a real state file: JSON, Markdown and HTML with the same
// figures, atomic --out, and exit 2 with a clear message when there is nothing to report on.
import { beforeAll, describe, expect, it } from '@jest/globals';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { openCheckpoint } from '../../src/checkpoint/index.js';
import { mapIdentity } from '../../src/ocsf/map-identity.js';
import { computePosture, type Posture } from '../../src/report/index.js';
import { runCli, tempDir } from '../e2e/cli.js';
import { adminViaGroup, mappingContext, noGroups, twoKeys, withMfa } from '../ocsf/identity-fixtures.js';

function configIn(dir: string): string {
  const path = join(dir, 'config.yaml');
  writeFileSync(path, `state: {path: ./state.db}\nrisk: {rotation_days: 90}\nsinks: [{type: stdout}]\n`);
  return path;
}

const events = [adminViaGroup, noGroups, withMfa, twoKeys].map(
  (identity) => mapIdentity(identity, mappingContext) as unknown as Record<string, unknown>,
);

let dir: string;
let config: string;
beforeAll(() => {
  dir = tempDir('iam-report-');
  config = configIn(dir);
  const checkpoint = openCheckpoint(join(dir, 'state.db'));
  checkpoint.commitDelivered(
    events.map((event, i) => ({
      scope: '123456789012',
      key: `k${i}`,
      kind: 'iam_user',
      fingerprint: 'f',
      event,
    })),
  );
  // A deleted identity is not part of the posture.
  checkpoint.commitDelivered(
    [{ scope: '123456789012', key: 'gone', kind: 'iam_user', fingerprint: 'f', event: events[3] ?? {} }],
    [{ scope: '123456789012', key: 'gone' }],
  );
  checkpoint.close();
});

describe('iam-inventory report', () => {
  it('prints the posture of the last events as JSON, without the deleted identities', async () => {
    const r = await runCli(['report', '--config', config, '--format', 'json']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const printed = JSON.parse(r.stdout) as Posture;
    const expected = computePosture(events, {
      now: Date.parse(printed.generatedAt),
      stateFile: join(dir, 'state.db'),
      rotationDays: 90,
    });
    expect(printed).toEqual(expected);
    expect(printed.totals.identities).toBe(4);
  });

  it('writes HTML and Markdown to --out, whole', async () => {
    const html = await runCli(['report', '--config', config, '--out', join(dir, 'out', 'report.html')]);
    expect(html.code).toBe(0);
    expect(html.stderr).toContain(`report written to ${join(dir, 'out', 'report.html')}`);
    const page = readFileSync(join(dir, 'out', 'report.html'), 'utf8');
    expect(page).toMatch(/^<!doctype html>/);
    expect(page).toContain('data-figure="totals.identities">4<');
    const md = await runCli([
      'report',
      '--config',
      config,
      '--format',
      'markdown',
      '--out',
      join(dir, 'out', 'r.md'),
    ]);
    expect(md.code).toBe(0);
    expect(readFileSync(join(dir, 'out', 'r.md'), 'utf8')).toContain('| Admins | 2 |');
    expect(readdirSync(join(dir, 'out')).sort()).toEqual(['r.md', 'report.html']);
  });

  it('exits 2 when the state file is missing or holds no event, and on a bad --format', async () => {
    const empty = tempDir('iam-report-empty-');
    const emptyConfig = configIn(empty);
    const missing = await runCli(['report', '--config', emptyConfig]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain(`state file ${join(empty, 'state.db')} does not exist`);
    openCheckpoint(join(empty, 'state.db')).close();
    const none = await runCli(['report', '--config', emptyConfig, '--out', join(empty, 'report.html')]);
    expect(none.code).toBe(2);
    expect(none.stderr).toContain('has no delivered events');
    expect(existsSync(join(empty, 'report.html'))).toBe(false);
    const format = await runCli(['report', '--config', config, '--format', 'pdf']);
    expect(format.code).toBe(2);
    expect(format.stderr).toContain('--format: expected one of html, markdown, json, got "pdf"');
  });
});
