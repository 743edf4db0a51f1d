// Secrets configured for AWS and for every sink never appear in the logs of a run, even when a destination
// echoes them back in an error body.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { addCredential, type Emulator, startEmulator } from '../../src/emulator/index.js';
import { runCli, tempDir, writeConfig } from './cli.js';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';

const SECRETS = {
  awsSecret: 'e2eAwsSecretKeyValue0123456789abcdefghij',
  hecToken: '11111111-2222-3333-4444-hec-token-e2e',
  intakeKey: 'sekoia-intake-key-e2e-0123456789',
  esApiKey: 'ZXNBcGlLZXlFMkUwMTIzNDU2Nzg5',
  httpAuth: 'Bearer http-sink-bearer-token-e2e',
};

/** One server playing Splunk HEC, Sekoia intake, Elasticsearch and a plain intake that rejects with an echo. */
function siemServer(): Promise<{ url: string; close(): Promise<void> }> {
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      const url = req.url ?? '';
      res.setHeader('content-type', 'application/json');
      if (url.startsWith('/services/collector/event')) return res.end('{"text":"Success","code":0}');
      if (url.startsWith('/batch')) return res.end('{"received":true}');
      if (url.endsWith('/_bulk')) {
        const actions = body.split('\n').filter((l) => l.length > 0).length / 2;
        const items = Array.from({ length: actions }, () => ({ create: { status: 201, result: 'created' } }));
        return res.end(JSON.stringify({ errors: false, took: 1, items }));
      }
      // A badly behaved intake that echoes the credentials it was given.
      res.statusCode = 400;
      res.end(JSON.stringify({ error: 'bad request', authorization: req.headers.authorization }));
    });
  });
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () =>
      resolve({
        url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
        close: () =>
          new Promise<void>((r) => {
            server.closeAllConnections();
            server.close(() => r());
          }),
      }),
    ),
  );
}

describe('secret redaction', () => {
  let emu: Emulator;
  let siem: { url: string; close(): Promise<void> };
  beforeAll(async () => {
    emu = await startEmulator({
      generator: { seed: 31, accounts: 1, usersPerAccount: 40, groupsPerAccount: 6, identityCenter: false },
    });
    addCredential(emu.world, {
      accessKeyId: 'AKIAE2ESECRETSTEST00',
      secretAccessKey: SECRETS.awsSecret,
      accountId: emu.world.defaultAccountId,
      arn: `arn:aws:iam::${emu.world.defaultAccountId}:user/secrets-test`,
      userId: 'AIDAE2ESECRETSTEST00',
    });
    siem = await siemServer();
  });
  afterAll(async () => {
    await siem.close();
    await emu.stop();
  });

  it('greps the logs of a full run for every configured secret and finds none', async () => {
    const dir = tempDir();
    const retry = { max_attempts: 2, initial_delay_ms: 5, max_delay_ms: 10 };
    const config = writeConfig({
      dir,
      endpoint: emu.url,
      credentials: { access_key_id: 'AKIAE2ESECRETSTEST00', secret_access_key: '${E2E_AWS_SECRET}' },
      sinks: [
        { type: 'splunk_hec', url: siem.url, token: '${E2E_HEC_TOKEN}', retry },
        { type: 'sekoia', intake_url: siem.url, intake_key: '${E2E_INTAKE_KEY}', retry },
        { type: 'elasticsearch', url: siem.url, api_key: '${E2E_ES_API_KEY}', retry },
        { type: 'http', url: `${siem.url}/reject`, headers: { Authorization: '${E2E_HTTP_AUTH}' }, retry },
      ],
      extra: { log: { level: 'debug' } },
    });
    const r = await runCli(['run', '--mode', 'full', '--log-format', 'json', '--config', config], {
      env: {
        E2E_AWS_SECRET: SECRETS.awsSecret,
        E2E_HEC_TOKEN: SECRETS.hecToken,
        E2E_INTAKE_KEY: SECRETS.intakeKey,
        E2E_ES_API_KEY: SECRETS.esApiKey,
        E2E_HTTP_AUTH: SECRETS.httpAuth,
      },
    });
    // The rejecting intake fails the run; its error (with the echoed body) is logged.
    expect(r.code).toBe(1);
    const logs = r.stdout + r.stderr;
    expect(logs).toContain('400');
    for (const [name, secret] of Object.entries(SECRETS)) {
      expect({ name, leaked: logs.includes(secret) }).toEqual({ name, leaked: false });
    }
    expect(logs).not.toContain('http-sink-bearer-token-e2e');
  });
});
