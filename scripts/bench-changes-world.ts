// The emulator side of bench:changes, in its own worker thread so that the emulator does not share the
// consumer's event loop (as `npm run bench` runs it in its own process): the world with the change feed,
// the seeded mutation stream through the admin routes, and the ground truth of every state each user had.
// The main thread asks by message: { id, op, args } -> { id, result } or { id, error }.
import { parentPort } from 'node:worker_threads';
import { startEmulator, type Emulator } from '../src/emulator/index.js';
import { MutationPlanner, type PlannedMutation } from './bench-changes-mutations.js';
import { GroundTruthHistory } from './bench-changes-truth.js';

export interface MutationStream {
  published: number;
  kinds: Record<string, number>;
  /** Each change's affected users, one entry per (change, user). */
  affectedNames: string[];
  resolutionCalls: number;
}

export interface Verdict {
  wrong: { key: string; got: string }[];
  stale: string[];
}

const QUEUE = 'iam-changes';
let emu: Emulator | undefined;
let history: GroundTruthHistory | undefined;

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

function world(): { emu: Emulator; history: GroundTruthHistory } {
  if (emu === undefined || history === undefined) throw new Error('init first');
  return { emu, history };
}

async function admin(e: Emulator, m: PlannedMutation): Promise<boolean> {
  const body = JSON.stringify({ accountId: e.world.defaultAccountId, ...m.body });
  const res = await fetch(`${e.url}/_emulator/${m.path}`, { method: m.method, body });
  await res.text();
  return res.status === 200;
}

async function init(a: { users: number; groups: number; seed: number }) {
  emu = await startEmulator({
    generator: {
      seed: a.seed,
      accounts: 1,
      usersPerAccount: a.users,
      groupsPerAccount: a.groups,
      identityCenter: false,
    },
    changeFeed: { queueName: QUEUE },
  });
  history = new GroundTruthHistory(emu.world);
  history.recordAll();
  return { url: emu.url, queueUrl: emu.createQueue(QUEUE).url };
}

/** Publishes `count` mutations at about `rate` per second (exponential gaps, seeded). */
async function mutate(a: { count: number; rate: number; seed: number }): Promise<MutationStream> {
  const w = world();
  const planner = new MutationPlanner(w.emu.world, a.seed);
  const out: MutationStream = { published: 0, kinds: {}, affectedNames: [], resolutionCalls: 0 };
  while (out.published < a.count) {
    const m = planner.next();
    if (m === undefined || !(await admin(w.emu, m))) continue;
    out.published += 1;
    out.kinds[m.kind] = (out.kinds[m.kind] ?? 0) + 1;
    const users = m.affected();
    for (const u of users) out.affectedNames.push(u.userName);
    out.resolutionCalls += m.resolutionCalls;
    w.history.record(users);
    await sleep(planner.gapMs(1000 / a.rate));
  }
  return out;
}

/** Judges every delivered event, in delivery order: wrong ones, and identities whose last one is stale. */
function judge(events: [string, string][]): Verdict {
  const { history: h } = world();
  const last = new Map<string, string>();
  const wrong: Verdict['wrong'] = [];
  for (const [key, state] of events) {
    last.set(key, state);
    if (!h.wasState(key, state)) wrong.push({ key, got: state });
  }
  return { wrong, stale: h.staleLast(last) };
}

function iamCalls(): [string, number][] {
  const byAction = new Map<string, number>();
  for (const calls of Object.values(world().emu.stats().calls))
    for (const [action, n] of Object.entries(calls))
      if (action.startsWith('iam:')) byAction.set(action, (byAction.get(action) ?? 0) + n);
  return [...byAction];
}

const OPS: Record<string, (args: never) => unknown> = {
  init,
  mutate,
  judge,
  iamCalls,
  resetStats: () => world().emu.resetStats(),
  stop: async () => emu?.stop(),
};

parentPort?.on('message', (msg: { id: number; op: string; args: never }) => {
  const op = OPS[msg.op];
  Promise.resolve()
    .then(() => {
      if (op === undefined) throw new Error(`unknown op ${msg.op}`);
      return op(msg.args);
    })
    .then(
      (result) => parentPort?.postMessage({ id: msg.id, result }),
      (error: unknown) => parentPort?.postMessage({ id: msg.id, error: String(error) }),
    );
});
