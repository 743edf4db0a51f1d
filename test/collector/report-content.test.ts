// The credential report's Content is cut out of the raw response (the SDK's parser is costly on a large
// text node): the bytes must be exactly what the SDK itself would have decoded, and anything unusual is left
// to the SDK.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { GenerateCredentialReportCommand, GetCredentialReportCommand } from '@aws-sdk/client-iam';
import { credentialReportCall, splitReportContent } from '../../src/collector/iam/report-content.js';
import type { AccountHandle } from '../../src/collector/source.js';
import { type Emulator } from '../../src/emulator/index.js';
import { startEmulatorAccount, type EmulatorAccount } from '../support/emulator-account.js';
import { testConfig } from './per-user-fixtures.js';

function response(content: string): Buffer {
  return Buffer.from(
    '<GetCredentialReportResponse xmlns="https://iam.amazonaws.com/doc/2010-05-08/"><GetCredentialReportResult>' +
      `<Content>${content}</Content><GeneratedTime>2025-01-15T12:00:00Z</GeneratedTime>` +
      '<ReportFormat>text/csv</ReportFormat></GetCredentialReportResult></GetCredentialReportResponse>',
  );
}

describe('splitReportContent', () => {
  it('decodes the base64 content and leaves the rest of the XML with an empty Content', () => {
    const csv = 'user,arn\nalice,arn:aws:iam::111111111111:user/alice\n';
    const split = splitReportContent(response(Buffer.from(csv).toString('base64')))!;
    expect(split.content.toString('utf8')).toBe(csv);
    expect(split.rest.toString()).toContain('<Content></Content><GeneratedTime>2025-01-15T12:00:00Z');
  });

  it('accepts line-wrapped base64', () => {
    const b64 = Buffer.from('x'.repeat(200)).toString('base64');
    const wrapped = b64.replace(/(.{76})/g, '$1\n');
    expect(splitReportContent(response(wrapped))!.content.toString()).toBe('x'.repeat(200));
  });

  it('leaves entities, CDATA, a second Content or no Content to the SDK', () => {
    expect(splitReportContent(response('YWJj&#xA;'))).toBeUndefined();
    expect(splitReportContent(response('<![CDATA[YWJj]]>'))).toBeUndefined();
    expect(
      splitReportContent(Buffer.from('<a><Content>YQ==</Content><Content>Yg==</Content></a>')),
    ).toBeUndefined();
    expect(splitReportContent(Buffer.from('<a><Other>YQ==</Other></a>'))).toBeUndefined();
    expect(splitReportContent(Buffer.from('<a><Content>YQ==</a>'))).toBeUndefined();
  });
});

describe('credentialReportCall against the emulator', () => {
  let emu: Emulator;
  let handle: AccountHandle;
  let fixture: EmulatorAccount;

  beforeAll(async () => {
    fixture = await startEmulatorAccount({
      world: { seed: 8, accounts: 1, usersPerAccount: 600, groupsPerAccount: 5 },
      config: testConfig,
    });
    ({ emu, handle } = fixture);
    await handle.iam.send(new GenerateCredentialReportCommand({}));
    const account = emu.world.accounts.get(handle.accountId)!;
    account.credentialReportDelayMs = 0;
  });

  afterAll(async () => {
    await fixture?.stop();
  });

  it('yields the bytes the SDK decodes, with the other fields still parsed by the SDK', async () => {
    let sdk;
    for (;;) {
      try {
        sdk = await handle.iam.send(new GetCredentialReportCommand({}));
        break;
      } catch (error) {
        if ((error as { name?: string }).name !== 'CredentialReportNotReadyException') throw error;
        await new Promise((r) => setTimeout(r, 50));
      }
    }
    const get = credentialReportCall();
    const out = await get.send(handle.iam);
    const ours = get.content(out)!;
    expect(out.Content === undefined || out.Content.length === 0).toBe(true);
    expect(Buffer.from(ours).equals(Buffer.from(sdk.Content!))).toBe(true);
    expect(Buffer.from(ours).toString('utf8').split('\n').length).toBeGreaterThan(600);
    expect(out.GeneratedTime?.getTime()).toBe(sdk.GeneratedTime?.getTime());
    expect(out.ReportFormat).toBe(sdk.ReportFormat);
  });
});
