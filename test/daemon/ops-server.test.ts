import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createMetrics } from '../../src/daemon/metrics.js';
import { parseListen, startOpsServer, type OpsServer } from '../../src/daemon/ops-server.js';
import { ReadinessTracker } from '../../src/daemon/readiness.js';
import type { RunSummary, ScopeSummary } from '../../src/run/types.js';

function scope(id: string, status: ScopeSummary['status'], error?: string): ScopeSummary {
  return {
    scope: id,
    accountId: id,
    status,
    usersSeen: 3,
    usersCollected: 3,
    eventsSent: 3,
    failedUsers: 0,
    deletions: 0,
    deadLetters: 0,
    ...(error !== undefined ? { error } : {}),
  };
}

function summary(
  runId: string,
  finishedAt: number,
  scopes: ScopeSummary[],
  status?: RunSummary['status'],
): RunSummary {
  return {
    runId,
    mode: 'incremental',
    status: status ?? (scopes.every((s) => s.status === 'succeeded') ? 'succeeded' : 'failed'),
    startedAt: finishedAt - 1500,
    finishedAt,
    scopes,
    usersSeen: 3,
    eventsSent: 3,
    failedUsers: 0,
    deadLetters: 0,
    awsCalls: {},
    throttledCalls: 0,
    errors: [],
  };
}

describe('metrics', () => {
  it('exposes every issue-7 metric and feeds them from the observer', async () => {
    const m = createMetrics();
    const o = m.observer;
    o.onAwsCall?.('111111111111', 'iam', 'ListUsers');
    o.onAwsCall?.('111111111111', 'iam', 'ListUsers');
    o.onAwsThrottled?.('111111111111', 'iam', 'ListUsers');
    o.onUsersCollected?.('111111111111', 5);
    o.onEventsSent?.('file', 5);
    o.onSinkError?.('file');
    o.onDeadLetters?.(2);
    const s = summary('r1', 1_700_000_000_000, [scope('111111111111', 'succeeded')]);
    o.onRunFinished?.(s);
    o.onRunFinished?.(s); // the same summary reported twice counts once
    const text = await m.text();
    for (const name of [
      'iam_inventory_runs_total',
      'iam_inventory_users_collected_total',
      'iam_inventory_events_sent_total',
      'iam_inventory_sink_errors_total',
      'iam_inventory_aws_calls_total',
      'iam_inventory_aws_throttled_total',
      'iam_inventory_dead_letters_total',
      'iam_inventory_run_duration_seconds',
      'iam_inventory_last_success_timestamp_seconds',
      'process_cpu_seconds_total',
    ]) {
      expect(text).toContain(`# TYPE ${name} `);
    }
    expect(text).toContain('iam_inventory_aws_calls_total{account="111111111111",action="iam:ListUsers"} 2');
    expect(text).toContain('iam_inventory_aws_throttled_total{account="111111111111"} 1');
    expect(text).toContain('iam_inventory_users_collected_total{account="111111111111"} 5');
    expect(text).toContain('iam_inventory_events_sent_total{sink="file"} 5');
    expect(text).toContain('iam_inventory_sink_errors_total{sink="file"} 1');
    expect(text).toContain('iam_inventory_dead_letters_total 2');
    expect(text).toContain('iam_inventory_runs_total{mode="incremental",status="succeeded"} 1');
    expect(text).toContain('iam_inventory_run_duration_seconds_count{mode="incremental"} 1');
    expect(text).toContain('iam_inventory_last_success_timestamp_seconds{account="111111111111"} 1700000000');
  });

  it('keeps registries separate', async () => {
    const a = createMetrics({ defaultMetrics: false });
    const b = createMetrics({ defaultMetrics: false });
    a.observer.onDeadLetters?.(3);
    expect(await b.text()).toContain('iam_inventory_dead_letters_total 0');
  });
});

describe('readiness', () => {
  const now = 1_700_000_000_000;
  it('is not ready before the first run', () => {
    const r = new ReadinessTracker(60, () => now).report();
    expect(r.ready).toBe(false);
    expect(r.reason).toContain('no collection run');
  });

  it('is ready when every scope of the last run succeeded recently, and names failed and stale scopes', () => {
    let clock = now;
    const t = new ReadinessTracker(60, () => clock);
    t.record(summary('r1', now, [scope('111111111111', 'succeeded'), scope('222222222222', 'succeeded')]));
    expect(t.report().ready).toBe(true);
    t.record(
      summary('r2', now + 1000, [
        scope('111111111111', 'succeeded'),
        scope('222222222222', 'failed', 'AccessDenied'),
      ]),
    );
    let r = t.report();
    expect(r.ready).toBe(false);
    expect(r.reason).toContain('222222222222');
    expect(r.reason).not.toContain('111111111111');
    t.record(
      summary('r3', now + 2000, [scope('111111111111', 'succeeded'), scope('222222222222', 'succeeded')]),
    );
    expect(t.report().ready).toBe(true);
    clock = now + 2000 + 61_000;
    r = t.report();
    expect(r.ready).toBe(false);
    expect(r.reason).toContain('older than 60 s for 111111111111, 222222222222');
  });

  it('ignores interrupted scopes and reports run-level failures', () => {
    const t = new ReadinessTracker(60, () => now);
    t.record(summary('r1', now, [scope('111111111111', 'succeeded')]));
    t.record(summary('r2', now, [scope('111111111111', 'interrupted')], 'interrupted'));
    expect(t.report().ready).toBe(true);
    t.record({
      ...summary('r3', now, []),
      status: 'failed',
      errors: ['GetCallerIdentity: InvalidClientTokenId'],
    });
    const r = t.report();
    expect(r.ready).toBe(false);
    expect(r.reason).toContain('InvalidClientTokenId');
  });

  it('seeds from the state file', () => {
    const t = new ReadinessTracker(60, () => now);
    t.seed([{ scope: '111111111111', status: 'succeeded', finishedMs: now - 10_000 }]);
    expect(t.report().ready).toBe(true);
  });
});

describe('ops server', () => {
  let server: OpsServer;
  let live = true;
  const tracker = new ReadinessTracker(3600);
  const metrics = createMetrics();

  beforeAll(async () => {
    server = await startOpsServer({
      listen: '127.0.0.1:0',
      isLive: () => live,
      readiness: () => tracker.report(),
      metrics: () => metrics.text(),
      metricsContentType: metrics.contentType,
    });
  });
  afterAll(async () => {
    await server.close();
  });

  it('reports its bound address', () => {
    expect(server.address).toMatch(/^127\.0\.0\.1:\d+$/);
    expect(server.address).not.toBe('127.0.0.1:0');
  });

  it('GET /healthz is 200 while live, 503 once the scheduler stopped', async () => {
    expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
    live = false;
    const res = await fetch(`${server.url}/healthz`);
    expect(res.status).toBe(503);
    live = true;
  });

  it('GET /readyz is 503 with a JSON reason, then 200', async () => {
    let res = await fetch(`${server.url}/readyz`);
    expect(res.status).toBe(503);
    const body = (await res.json()) as { status: string; reason: string };
    expect(body.status).toBe('not ready');
    expect(body.reason).toContain('no collection run');
    tracker.record(summary('r1', Date.now(), [scope('111111111111', 'succeeded')]));
    res = await fetch(`${server.url}/readyz`);
    expect(res.status).toBe(200);
    expect(((await res.json()) as { scopes: { scope: string }[] }).scopes[0]?.scope).toBe('111111111111');
  });

  it('GET /metrics serves Prometheus text', async () => {
    metrics.observer.onAwsCall?.('111111111111', 'iam', 'ListUsers');
    const res = await fetch(`${server.url}/metrics`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/plain');
    expect(await res.text()).toContain(
      'iam_inventory_aws_calls_total{account="111111111111",action="iam:ListUsers"} 1',
    );
  });

  it('answers 404 elsewhere and 405 to other methods', async () => {
    expect((await fetch(`${server.url}/`)).status).toBe(404);
    expect((await fetch(`${server.url}/metrics`, { method: 'POST' })).status).toBe(405);
  });

  it('parses listen addresses', () => {
    expect(parseListen('0.0.0.0:9464')).toEqual({ host: '0.0.0.0', port: 9464 });
    expect(parseListen('[::1]:9464')).toEqual({ host: '::1', port: 9464 });
    expect(parseListen(':9464')).toEqual({ host: '0.0.0.0', port: 9464 });
    expect(() => parseListen('9464')).toThrow('ops.listen');
    expect(() => parseListen('host:99999')).toThrow('ops.listen');
  });
});
