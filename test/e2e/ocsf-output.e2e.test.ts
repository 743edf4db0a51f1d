// The events a real run writes with ocsf.version 1.6.0: every one valid under 1.6.0, and golden files for a
// handful of seeded users (admin via a group, no groups, MFA, two keys) compared byte for byte.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { join } from 'node:path';
import { type Emulator, startEmulator } from '../../src/emulator/index.js';
import { createEventValidator } from '../../src/ocsf/validate.js';
import { expectGolden } from '../ocsf/golden.js';
import { readEvents, runCli, tempDir, userOf, writeConfig } from './cli.js';
import { GOLDEN_CASES } from './golden-cases.js';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';

describe('OCSF output of a 300-user run', () => {
  let emu: Emulator;
  beforeAll(async () => {
    emu = await startEmulator({
      generator: {
        seed: 4000,
        accounts: 1,
        usersPerAccount: 300,
        groupsPerAccount: 30,
        identityCenter: false,
      },
    });
  });
  afterAll(async () => emu.stop());

  // 1.8.0 is checked on the run of collector.e2e.test.ts; this is the 1.6.0 run.
  for (const version of ['1.6.0'] as const) {
    it(`every event validates under OCSF ${version}, and seeded users match their golden files`, async () => {
      const dir = tempDir();
      const config = writeConfig({ dir, endpoint: emu.url, ocsf: { version } });
      const r = await runCli(['run', '--config', config]);
      expect(r.code).toBe(0);
      const events = readEvents(join(dir, 'events.ndjson'));
      expect(events.length).toBeGreaterThanOrEqual(300);
      const validator = createEventValidator(version);
      const invalid = events
        .map((e) => ({ uid: userOf(e).uid, result: validator.validate(e as never) }))
        .filter((x) => !x.result.valid);
      expect(invalid).toEqual([]);
      for (const e of events) expect((e.metadata as { version: string }).version).toBe(version);
      if (version === '1.6.0') {
        expect(events.some((e) => 'is_disabled' in (userOf(e).account ?? {}))).toBe(false);
      }

      const byArn = new Map(events.map((e) => [userOf(e).uid as string, e]));
      const truths = [...emu.truth!.users.values()].sort((a, b) => (a.arn < b.arn ? -1 : 1));
      for (const [name, matches] of Object.entries(GOLDEN_CASES)) {
        const t = truths.find(matches);
        expect(t).toBeDefined();
        expectGolden(version, name, byArn.get(t!.arn));
      }
    });
  }
});
