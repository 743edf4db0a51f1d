// The ground truth of bench:changes: every state each user had (the generated world, then after each
// mutation), in a form an OCSF event reduces to as well, so that an event is judged right when it equals a
// state its identity really had.
import { expectedUser, type EmuAccount, type EmuWorld, type ExpectedUser } from '../src/emulator/index.js';

export interface AffectedUser {
  arn: string;
  userName: string;
}

const DELETED = 'deleted';

function truthState(t: ExpectedUser): string {
  return JSON.stringify({
    name: t.userName,
    uid: t.arn,
    groups: t.groups.map((g) => g.name),
    type: t.isAdmin ? 'Admin' : 'User',
    has_mfa: t.hasMfa,
    admin_via: t.adminVia,
    attached: t.attachedPolicyNames,
    inline: t.inlinePolicyNames,
    mfa: [...t.mfaSerials].sort(),
    keys: t.accessKeys.map((k) => `${k.id}:${k.status}`),
    login: t.hasLoginProfile,
    disabled: t.isDisabled,
    tags: t.tags.map((k) => `${k.key}=${k.value}`),
  });
}

type Json = Record<string, unknown>;
const obj = (v: unknown): Json => (typeof v === 'object' && v !== null ? (v as Json) : {});
const list = (v: unknown): Json[] => (Array.isArray(v) ? v.map(obj) : []);

/** The same reduction of an event (a deletion event is "deleted"). */
export function eventState(event: Json): string {
  if (event.activity_id === 99) return DELETED;
  const u = obj(event.user);
  const aws = obj(obj(event.unmapped).aws);
  const account = obj(u.account);
  return JSON.stringify({
    name: u.name,
    uid: u.uid,
    groups: list(u.groups).map((g) => g.name),
    type: u.type,
    has_mfa: u.has_mfa,
    admin_via: aws.admin_via ?? [],
    attached: aws.attached_policies,
    inline: aws.inline_policies,
    mfa: aws.mfa_serials ?? [],
    keys: list(aws.access_keys).map((k) => `${String(k.id)}:${String(k.status)}`),
    login: obj(aws.login_profile).present,
    disabled: account.is_disabled,
    tags: list(account.tags).map((kv) => `${String(kv.name)}=${String(kv.value)}`),
  });
}

export class GroundTruthHistory {
  private readonly states = new Map<string, Set<string>>();
  private readonly account: EmuAccount;

  constructor(private readonly world: EmuWorld) {
    const account = world.accounts.get(world.defaultAccountId);
    if (account === undefined) throw new Error('the world has no default account');
    this.account = account;
  }

  /** Every user as it is now (before the baseline run). */
  recordAll(): void {
    this.record([...this.account.users.values()]);
  }

  /** The users a mutation affected, as they are right after it. */
  record(users: readonly AffectedUser[]): void {
    for (const { arn } of users) {
      const seen = this.states.get(arn) ?? new Set<string>();
      seen.add(this.now(arn, users));
      this.states.set(arn, seen);
    }
  }

  wasState(key: string, state: string): boolean {
    return this.states.get(key)?.has(state) === true;
  }

  /** The identities whose last delivered state is not their state now. */
  staleLast(last: ReadonlyMap<string, string>): string[] {
    const stale: string[] = [];
    for (const arn of this.states.keys()) {
      const now = this.now(arn, []);
      const delivered = last.get(arn);
      // A user created and deleted before any read was never reported: nothing to compare.
      if (delivered === undefined && now === DELETED) continue;
      if (delivered !== now) stale.push(arn);
    }
    return stale;
  }

  private now(arn: string, hint: readonly AffectedUser[]): string {
    const name = hint.find((u) => u.arn === arn)?.userName ?? arn.slice(arn.lastIndexOf('/') + 1);
    const user = this.account.users.get(name);
    if (user === undefined || user.arn !== arn) return DELETED;
    return truthState(expectedUser(this.world, this.account, user));
  }
}
