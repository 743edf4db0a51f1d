// The unsigned admin API under /_emulator/ (loopback only): counters, fault rules, credentials and the
// world mutations tests use to change the estate between collections. JSON in, JSON out.
//
//   GET    /_emulator/stats                      -> EmulatorStats
//   POST   /_emulator/stats/reset                -> {}
//   GET    /_emulator/faults                     -> FaultRuleInfo[]
//   POST   /_emulator/faults        FaultRule    -> {id}
//   DELETE /_emulator/faults                     -> {} (all rules)
//   DELETE /_emulator/faults/<id>                -> {}
//   POST   /_emulator/credentials   {accessKeyId, secretAccessKey, accountId, arn?, userId?, allowedActions?}
//   (plus the world mutations of ADMIN_MUTATIONS below)
import { EmuError } from './service.js';
import { parseFaultRule, type FaultController } from './faults.js';
import type { EmuWorld } from './model.js';
import type { StatsRecorder } from './stats.js';
import { ADMIN_MUTATIONS, type AdminMutation } from './admin-mutations.js';
import type { ChangeFeed } from './sqs/change-feed.js';

export interface AdminTarget {
  world: EmuWorld;
  stats: StatsRecorder;
  faults: FaultController;
  /** Set when the change feed is on: each mutation's CloudTrail event goes there. */
  changeFeed?: ChangeFeed | undefined;
}

async function runMutation(
  mutation: AdminMutation,
  body: Record<string, unknown>,
  target: AdminTarget,
): Promise<unknown> {
  const result: unknown = await mutation.run(target.world, body);
  if (target.changeFeed !== undefined && mutation.cloudTrail !== undefined) {
    const account = typeof body.accountId === 'string' ? body.accountId : target.world.defaultAccountId;
    target.changeFeed.publish(mutation.cloudTrail(body, result), account);
  }
  return result;
}

interface AdminReply {
  status: number;
  headers: Record<string, string>;
  body: string;
}

function json(status: number, value: unknown): AdminReply {
  return { status, headers: { 'content-type': 'application/json' }, body: `${JSON.stringify(value)}\n` };
}

function parseBody(body: Buffer): Record<string, unknown> {
  if (body.length === 0) return {};
  const parsed: unknown = JSON.parse(body.toString('utf8'));
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new TypeError('request body must be a JSON object');
  }
  return parsed as Record<string, unknown>;
}

function requireString(body: Record<string, unknown>, name: string): string {
  const v = body[name];
  if (typeof v !== 'string' || v === '') throw new TypeError(`${name} must be a non-empty string`);
  return v;
}

function addCredential(world: EmuWorld, body: Record<string, unknown>): unknown {
  const accessKeyId = requireString(body, 'accessKeyId');
  const accountId = requireString(body, 'accountId');
  const allowed = body.allowedActions;
  if (allowed !== undefined && (!Array.isArray(allowed) || allowed.some((a) => typeof a !== 'string'))) {
    throw new TypeError('allowedActions must be an array of strings');
  }
  world.credentials.set(accessKeyId, {
    accessKeyId,
    secretAccessKey: requireString(body, 'secretAccessKey'),
    accountId,
    arn: typeof body.arn === 'string' ? body.arn : `arn:aws:iam::${accountId}:root`,
    userId: typeof body.userId === 'string' ? body.userId : accountId,
    allowedActions: allowed === undefined ? undefined : new Set(allowed as string[]),
  });
  return { accessKeyId };
}

export async function handleAdminRequest(
  method: string,
  url: string,
  rawBody: Buffer,
  target: AdminTarget,
): Promise<AdminReply> {
  const path = new URL(url, 'http://emulator.invalid').pathname.replace(/\/+$/, '');
  try {
    const body = parseBody(rawBody);
    if (path === '/_emulator/stats' && method === 'GET') return json(200, target.stats.snapshot());
    if (path === '/_emulator/stats/reset' && method === 'POST') {
      target.stats.reset();
      return json(200, {});
    }
    if (path === '/_emulator/faults') {
      if (method === 'GET') return json(200, target.faults.list());
      if (method === 'POST') return json(200, { id: target.faults.add(parseFaultRule(body)) });
      if (method === 'DELETE') {
        target.faults.clear();
        return json(200, {});
      }
    }
    const faultId = /^\/_emulator\/faults\/(\d+)$/.exec(path)?.[1];
    if (faultId !== undefined && method === 'DELETE') {
      return target.faults.remove(Number(faultId))
        ? json(200, {})
        : json(404, { error: `no fault rule ${faultId}` });
    }
    if (path === '/_emulator/credentials' && method === 'POST')
      return json(200, addCredential(target.world, body));
    const mutation = ADMIN_MUTATIONS.find((m) => m.path === path && m.method === method);
    if (mutation !== undefined) return json(200, (await runMutation(mutation, body, target)) ?? {});
    return json(404, { error: `no admin route ${method} ${path}` });
  } catch (err) {
    if (err instanceof EmuError) return json(err.status, { error: err.message, code: err.code });
    const message = err instanceof Error ? err.message : String(err);
    const notFound = /not found|cannot be found|does not exist|no such/i.test(message);
    return json(notFound ? 404 : 400, { error: message });
  }
}
