// STS over the AWS Query protocol: GetCallerIdentity and AssumeRole. AssumeRole checks the role's trust
// policy (principal account and sts:ExternalId) and registers temporary credentials bound to the role's account.
import { randomBytes } from 'node:crypto';
import type { EmuCredential, EmuRole } from '../model.js';
import { el, isoTime, raw } from '../protocols/query.js';
import { EmuError, type EmuRequestContext, type QueryParams, type QueryServiceModule } from '../service.js';

const KEY_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

function randomId(prefix: string, length: number): string {
  const bytes = randomBytes(length);
  let out = prefix;
  for (const b of bytes) out += KEY_ALPHABET[b % KEY_ALPHABET.length];
  return out;
}

function getCallerIdentity(_params: QueryParams, ctx: EmuRequestContext): string {
  const c = ctx.credential;
  return el('Arn', c.arn) + el('UserId', c.userId) + el('Account', c.accountId);
}

interface TrustStatement {
  Effect?: string;
  Action?: string | string[];
  Principal?: string | Record<string, string | string[]>;
  Condition?: Record<string, Record<string, string | string[]>>;
}

function asList(value: string | string[] | undefined): string[] {
  if (value === undefined) return [];
  return Array.isArray(value) ? value : [value];
}

/** Whether an AWS principal entry admits the caller: "*", the caller's account (id or :root), or its ARN. */
function principalAdmits(principal: string, caller: EmuCredential): boolean {
  if (principal === '*' || principal === caller.accountId || principal === caller.arn) return true;
  if (principal === `arn:aws:iam::${caller.accountId}:root`) return true;
  return false;
}

/** Evaluates the role's trust policy for sts:AssumeRole by this caller with this external id. */
function trustAllows(role: EmuRole, caller: EmuCredential, externalId: string | undefined): boolean {
  let doc: { Statement?: TrustStatement | TrustStatement[] };
  try {
    doc = JSON.parse(role.assumeRolePolicyDocument) as typeof doc;
  } catch {
    return false;
  }
  const statements = Array.isArray(doc.Statement) ? doc.Statement : doc.Statement ? [doc.Statement] : [];
  return statements.some((st) => {
    if (st.Effect !== 'Allow') return false;
    const actions = asList(st.Action);
    if (!actions.some((a) => a === 'sts:AssumeRole' || a === 'sts:*' || a === '*')) return false;
    const principals =
      st.Principal === '*' ? ['*'] : typeof st.Principal === 'object' ? asList(st.Principal.AWS) : [];
    if (!principals.some((p) => principalAdmits(p, caller))) return false;
    for (const [operator, conditions] of Object.entries(st.Condition ?? {})) {
      for (const [key, expected] of Object.entries(conditions)) {
        if (key.toLowerCase() !== 'sts:externalid') continue;
        if (operator !== 'StringEquals' && operator !== 'StringLike') return false;
        if (externalId === undefined || !asList(expected).includes(externalId)) return false;
      }
    }
    return true;
  });
}

function accessDenied(caller: EmuCredential, roleArn: string): EmuError {
  return new EmuError(
    'AccessDenied',
    `User: ${caller.arn} is not authorized to perform: sts:AssumeRole on resource: ${roleArn}`,
    403,
  );
}

function assumeRole(params: QueryParams, ctx: EmuRequestContext): string {
  const roleArn = params.RoleArn;
  const sessionName = params.RoleSessionName;
  if (roleArn === undefined || roleArn.length < 20) {
    throw new EmuError(
      'ValidationError',
      "1 validation error detected: Value at 'roleArn' failed to satisfy constraint: Member must have length greater than or equal to 20",
      400,
    );
  }
  if (sessionName === undefined || !/^[\w+=,.@-]{2,64}$/.test(sessionName)) {
    throw new EmuError(
      'ValidationError',
      `1 validation error detected: Value '${sessionName ?? 'null'}' at 'roleSessionName' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\w+=,.@-]*`,
      400,
    );
  }
  const duration = params.DurationSeconds === undefined ? 3600 : Number(params.DurationSeconds);
  if (!Number.isInteger(duration) || duration < 900 || duration > 43200) {
    throw new EmuError(
      'ValidationError',
      `1 validation error detected: Value '${params.DurationSeconds}' at 'durationSeconds' failed to satisfy constraint: Member must have value between 900 and 43200`,
      400,
    );
  }
  const m = /^arn:aws:iam::(\d{12}):role\/(?:.*\/)?([^/]+)$/.exec(roleArn);
  const targetAccountId = m?.[1];
  const roleName = m?.[2];
  if (targetAccountId === undefined || roleName === undefined) {
    throw new EmuError('ValidationError', `${roleArn} is invalid`, 400);
  }
  const role = ctx.world.accounts.get(targetAccountId)?.roles.get(roleName);
  // AWS does not reveal whether the role exists: a missing role and a refusing trust policy look the same.
  if (role === undefined || role.arn !== roleArn || !trustAllows(role, ctx.credential, params.ExternalId)) {
    throw accessDenied(ctx.credential, roleArn);
  }
  if (duration > role.maxSessionDuration) {
    throw new EmuError(
      'ValidationError',
      'The requested DurationSeconds exceeds the MaxSessionDuration set for this role.',
      400,
    );
  }
  const accessKeyId = randomId('ASIA', 16);
  const secretAccessKey = randomBytes(30).toString('base64');
  const sessionToken = `IQoJb3JpZ2luX2VtdRemulator${randomBytes(96).toString('base64')}`;
  const expiresAt = Math.floor(ctx.now / 1000) * 1000 + duration * 1000;
  const assumedRoleId = `${role.roleId}:${sessionName}`;
  const arn = `arn:aws:sts::${targetAccountId}:assumed-role/${role.roleName}/${sessionName}`;
  ctx.world.credentials.set(accessKeyId, {
    accessKeyId,
    secretAccessKey,
    sessionToken,
    expiresAt,
    accountId: targetAccountId,
    arn,
    userId: assumedRoleId,
  });
  pruneExpired(ctx);
  return (
    raw(
      'Credentials',
      el('AccessKeyId', accessKeyId) +
        el('SecretAccessKey', secretAccessKey) +
        el('SessionToken', sessionToken) +
        el('Expiration', isoTime(expiresAt)),
    ) +
    raw('AssumedRoleUser', el('AssumedRoleId', assumedRoleId) + el('Arn', arn)) +
    el('PackedPolicySize', params.Policy === undefined ? undefined : 6)
  );
}

/** Long runs assume roles repeatedly: drop sessions that expired over an hour ago so the map stays small. */
function pruneExpired(ctx: EmuRequestContext): void {
  const horizon = ctx.now - 3600_000;
  for (const [id, c] of ctx.world.credentials) {
    if (c.expiresAt !== undefined && c.expiresAt < horizon) ctx.world.credentials.delete(id);
  }
}

export const stsService: QueryServiceModule = {
  protocol: 'query',
  signingName: 'sts',
  xmlNamespace: 'https://sts.amazonaws.com/doc/2011-06-15/',
  apiVersion: '2011-06-15',
  actions: {
    GetCallerIdentity: getCallerIdentity,
    AssumeRole: assumeRole,
  },
};
