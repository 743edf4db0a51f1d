// The mutations of bench:changes: mixed kinds, drawn with seeded weights from the world as it is, each an
// admin route of the emulator (which publishes its CloudTrail event) with the users it affects and the
// listing calls that name them (GetGroup, ListEntitiesForPolicy).
import type { EmuAccount, EmuGroup, EmuUser, EmuWorld } from '../src/emulator/index.js';
import type { AffectedUser } from './bench-changes-truth.js';

export interface PlannedMutation {
  kind: string;
  method: 'POST' | 'DELETE';
  path: string;
  body: Record<string, unknown>;
  /** The users it changed, read after it ran. */
  affected(): AffectedUser[];
  /** Calls that resolve its targets to users (GetGroup pages, ListEntitiesForPolicy). */
  resolutionCalls: number;
}

const ADMIN = 'arn:aws:iam::aws:policy/AdministratorAccess';
const PAGE = 100;

/** mulberry32: small, seeded, good enough to pick mutations. */
function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

type Builder = (p: MutationPlanner) => PlannedMutation | undefined;

const one = (u: EmuUser) => (): AffectedUser[] => [{ arn: u.arn, userName: u.userName }];

export class MutationPlanner {
  private readonly random: () => number;
  private readonly account: EmuAccount;
  private created = 0;

  constructor(
    private readonly worldRef: EmuWorld,
    seed: number,
  ) {
    this.random = seeded(seed);
    this.account = worldRef.accounts.get(worldRef.defaultAccountId)!;
  }

  next(): PlannedMutation | undefined {
    const total = KINDS.reduce((a, k) => a + k.weight, 0);
    let r = this.random() * total;
    for (const k of KINDS) {
      r -= k.weight;
      if (r < 0) return k.build(this);
    }
    return undefined;
  }

  /** Exponential gaps: a Poisson stream of writes. */
  gapMs(meanMs: number): number {
    return -Math.log(1 - this.random()) * meanMs;
  }

  pick<T>(items: readonly T[]): T | undefined {
    return items[Math.floor(this.random() * items.length)];
  }

  user(where: (u: EmuUser) => boolean = () => true): EmuUser | undefined {
    return this.pick([...this.account.users.values()].filter(where));
  }

  group(where: (g: EmuGroup) => boolean = () => true): EmuGroup | undefined {
    return this.pick([...this.account.groups.values()].filter(where));
  }

  world(): EmuWorld {
    return this.worldRef;
  }

  newUserName(): string {
    this.created += 1;
    return `bench-new-${this.created}`;
  }

  managedPolicyArn(): string | undefined {
    return this.pick([...this.worldRef.awsManagedPolicies.keys()].filter((a) => a !== ADMIN));
  }

  members(groupName: string): EmuUser[] {
    return [...this.account.users.values()].filter((u) => u.groups.includes(groupName));
  }

  /** A customer managed policy with room for a version and at least one user holding it. */
  policyWithHolders(): { arn: string; groups: string[]; users: () => EmuUser[] } | undefined {
    const arns = [...this.account.policies.values()].filter((p) => p.versions.length < 5).map((p) => p.arn);
    const candidates = arns.flatMap((arn) => {
      const groups = [...this.account.groups.values()]
        .filter((g) => g.attachedPolicyArns.includes(arn))
        .map((g) => g.groupName);
      const users = (): EmuUser[] =>
        [...this.account.users.values()].filter(
          (u) => u.attachedPolicyArns.includes(arn) || u.groups.some((g) => groups.includes(g)),
        );
      return users().length > 0 ? [{ arn, groups, users }] : [];
    });
    return this.pick(candidates);
  }
}

function groupMutation(p: MutationPlanner, g: EmuGroup, method: 'POST' | 'DELETE'): PlannedMutation {
  const kind = method === 'POST' ? 'attach_admin_to_group' : 'detach_admin_from_group';
  const pages = Math.max(1, Math.ceil(p.members(g.groupName).length / PAGE));
  return {
    kind,
    method,
    path: 'group-policies',
    body: { groupName: g.groupName, policyArn: ADMIN },
    affected: () => p.members(g.groupName).map((u) => ({ arn: u.arn, userName: u.userName })),
    resolutionCalls: pages,
  };
}

function userMutation(
  kind: string,
  method: 'POST' | 'DELETE',
  path: string,
  u: EmuUser | undefined,
  body: (u: EmuUser) => Record<string, unknown>,
): PlannedMutation | undefined {
  if (u === undefined) return undefined;
  return {
    kind,
    method,
    path,
    body: { userName: u.userName, ...body(u) },
    affected: one(u),
    resolutionCalls: 0,
  };
}

const KINDS: readonly { weight: number; build: Builder }[] = [
  {
    weight: 4,
    build: (p) => {
      const g = p.group((x) => !x.attachedPolicyArns.includes(ADMIN) && p.members(x.groupName).length > 0);
      return g && groupMutation(p, g, 'POST');
    },
  },
  {
    weight: 2,
    build: (p) => {
      const g = p.group((x) => x.attachedPolicyArns.includes(ADMIN));
      return g && groupMutation(p, g, 'DELETE');
    },
  },
  {
    weight: 12,
    build: (p) => {
      const u = p.user();
      const g = u && p.group((x) => !u.groups.includes(x.groupName));
      return (
        g &&
        userMutation('add_user_to_group', 'POST', 'group-memberships', u, () => ({ groupName: g.groupName }))
      );
    },
  },
  {
    weight: 10,
    build: (p) => {
      const u = p.user((x) => x.groups.length > 0);
      return userMutation('remove_user_from_group', 'DELETE', 'group-memberships', u, (x) => ({
        groupName: p.pick(x.groups),
      }));
    },
  },
  {
    weight: 10,
    build: (p) =>
      userMutation(
        'create_access_key',
        'POST',
        'access-keys',
        p.user((x) => x.accessKeys.length < 2),
        () => ({}),
      ),
  },
  {
    weight: 8,
    build: (p) =>
      userMutation(
        'delete_access_key',
        'DELETE',
        'access-keys',
        p.user((x) => x.accessKeys.length > 0),
        (x) => ({
          accessKeyId: p.pick(x.accessKeys)?.accessKeyId,
        }),
      ),
  },
  {
    weight: 6,
    build: (p) =>
      userMutation(
        'update_access_key',
        'POST',
        'access-keys/status',
        p.user((x) => x.accessKeys.length > 0),
        (x) => {
          const key = p.pick(x.accessKeys)!;
          return { accessKeyId: key.accessKeyId, status: key.status === 'Active' ? 'Inactive' : 'Active' };
        },
      ),
  },
  {
    weight: 8,
    build: (p) => userMutation('enable_mfa', 'POST', 'mfa-devices', p.user(), () => ({ kind: 'hardware' })),
  },
  {
    weight: 10,
    build: (p) =>
      userMutation(
        'deactivate_mfa',
        'DELETE',
        'mfa-devices',
        p.user((x) => x.mfaDevices.length > 0),
        (x) => ({
          serial: p.pick(x.mfaDevices)?.serial,
        }),
      ),
  },
  {
    weight: 8,
    build: (p) => {
      const userName = p.newUserName();
      const arn = `arn:aws:iam::${p.world().defaultAccountId}:user/${userName}`;
      return {
        kind: 'create_user',
        method: 'POST',
        path: 'users',
        body: { userName },
        affected: () => [{ arn, userName }],
        resolutionCalls: 0,
      };
    },
  },
  { weight: 5, build: (p) => userMutation('delete_user', 'DELETE', 'users', p.user(), () => ({})) },
  {
    weight: 10,
    build: (p) =>
      userMutation('tag_user', 'POST', 'user-tags', p.user(), () => ({
        tags: [{ Key: 'bench', Value: String(Math.floor(p.gapMs(1000))) }],
      })),
  },
  {
    weight: 4,
    build: (p) => {
      const arn = p.managedPolicyArn();
      if (arn === undefined) return undefined;
      return userMutation(
        'attach_user_policy',
        'POST',
        'user-policies',
        p.user((x) => !x.attachedPolicyArns.includes(arn)),
        () => ({ policyArn: arn }),
      );
    },
  },
  {
    weight: 3,
    build: (p) => {
      const policy = p.policyWithHolders();
      if (policy === undefined) return undefined;
      return {
        kind: 'create_policy_version',
        method: 'POST',
        path: 'policy-versions',
        body: { policyArn: policy.arn },
        affected: () => policy.users().map((u) => ({ arn: u.arn, userName: u.userName })),
        resolutionCalls: 1 + policy.groups.length,
      };
    },
  },
];
