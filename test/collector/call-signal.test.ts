// The collector's clients reuse their resolved middleware (cacheMiddleware), so a call's abort signal rides
// on its input (withSignal). These tests hold it to what send()'s abortSignal did: an aborted call rejects
// with the SDK's AbortError, the request in flight is torn down, and concurrent calls of one command keep
// their own signals although they share one handler.
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { ListAccountAliasesCommand, ListUsersCommand } from '@aws-sdk/client-iam';
import { abortError, withSignal } from '../../src/collector/aws/call-signal.js';
import { createIamClient } from '../../src/collector/aws/clients.js';
import { DEFAULT_ACCESS_KEY_ID, DEFAULT_SECRET_ACCESS_KEY } from '../../src/emulator/index.js';
import { startEmulatorAccount, type EmulatorAccount } from '../support/emulator-account.js';
import { testConfig } from './per-user-fixtures.js';

const credentials = { accessKeyId: DEFAULT_ACCESS_KEY_ID, secretAccessKey: DEFAULT_SECRET_ACCESS_KEY };

const nameOf = (p: Promise<unknown>) =>
  p.then(
    () => 'resolved',
    (e: unknown) => (e as Error).name,
  );

describe('a call aborted through withSignal', () => {
  let fixture: EmulatorAccount;

  beforeAll(async () => {
    fixture = await startEmulatorAccount({
      world: { seed: 3, accounts: 1, usersPerAccount: 4, groupsPerAccount: 1 },
      config: (endpoint) => testConfig(endpoint),
    });
  });

  afterAll(async () => {
    await fixture?.stop();
  });

  it('rejects before any request when its signal is already aborted', async () => {
    const listUsers = () => fixture.emu.stats().calls[fixture.handle.accountId]?.['iam:ListUsers'] ?? 0;
    const before = listUsers();
    const controller = new AbortController();
    controller.abort();
    const call = fixture.handle.iam.send(withSignal(new ListUsersCommand({}), controller.signal));
    await expect(nameOf(call)).resolves.toBe('AbortError');
    expect(listUsers()).toBe(before);
  });

  it('keeps each concurrent call of one command to its own signal', async () => {
    fixture.emu.faults.add({ service: 'iam', action: 'ListAccountAliases', kind: 'latency', latencyMs: 100 });
    try {
      const iam = fixture.handle.iam;
      const first = new AbortController();
      const second = new AbortController();
      const aborted = nameOf(iam.send(withSignal(new ListAccountAliasesCommand({}), first.signal)));
      const kept = iam.send(withSignal(new ListAccountAliasesCommand({}), second.signal));
      first.abort();
      await expect(aborted).resolves.toBe('AbortError');
      await expect(kept).resolves.toHaveProperty('AccountAliases');
      // And a call without a signal, after those, on the same cached handler.
      await expect(iam.send(new ListAccountAliasesCommand({}))).resolves.toHaveProperty('AccountAliases');
    } finally {
      fixture.emu.faults.clear();
    }
  });

  it('resolves the middleware of a command once, whatever signals its calls carry', async () => {
    const iam = createIamClient({
      region: 'us-east-1',
      endpoint: fixture.emu.url,
      credentials,
      maxAttempts: 1,
      accountId: 'test',
    });
    let resolved = 0;
    iam.middlewareStack.add(
      (next) => {
        resolved++;
        return (args) => next(args);
      },
      { step: 'initialize', name: 'countResolutions' },
    );
    try {
      for (const signal of [undefined, new AbortController().signal, new AbortController().signal])
        await iam.send(withSignal(new ListUsersCommand({}), signal));
      expect(resolved).toBe(1);
    } finally {
      iam.destroy();
    }
  });
});

describe('the request in flight when its call is aborted', () => {
  let server: Server;
  const held: IncomingMessage[] = [];
  const closed: Promise<void>[] = [];

  beforeAll(async () => {
    // Takes every request and never answers: only the client can end it.
    server = createServer((req) => {
      held.push(req);
      closed.push(new Promise((resolve) => req.socket.once('close', () => resolve())));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  });

  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  it('has its socket destroyed, as with send()’s abortSignal', async () => {
    const { port } = server.address() as AddressInfo;
    const iam = createIamClient({
      region: 'us-east-1',
      endpoint: `http://127.0.0.1:${port}`,
      credentials,
      maxAttempts: 1,
      accountId: 'test',
    });
    try {
      const controller = new AbortController();
      const call = nameOf(iam.send(withSignal(new ListUsersCommand({}), controller.signal)));
      while (held.length === 0) await new Promise((resolve) => setTimeout(resolve, 5));
      controller.abort(new Error('stopping'));
      await expect(call).resolves.toBe('AbortError');
      await closed[0];
      expect(held).toHaveLength(1);
    } finally {
      iam.destroy();
    }
  });
});

describe('abortError', () => {
  it('is an AbortError with the reason as its cause, or as its message when not an error', () => {
    const reason = new Error('stopping');
    const withCause = abortError(AbortSignal.abort(reason));
    expect([withCause.name, withCause.message, withCause.cause]).toEqual([
      'AbortError',
      'Request aborted',
      reason,
    ]);
    const withText = abortError(AbortSignal.abort('SIGTERM'));
    expect([withText.name, withText.message]).toEqual(['AbortError', 'SIGTERM']);
  });
});
