// deploy/kubernetes: every object valid against the Kubernetes API (offline), and the properties the daemon
// depends on: one writer of the state, probes on the ops port of its config, the image's non-root user, a
// config that loads, memory sized from the benchmark, shards that cover an organization exactly once.
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from '@jest/globals';
import { parse } from 'yaml';
import { loadConfig } from '../../src/config/load.js';
import { parseListen } from '../../src/daemon/ops-server.js';
import { loadManifests, MANIFEST_DIR, schemaErrors, typeErrors, type Manifest } from './manifests.js';

// Peak RSS of `npm run bench` at 20 accounts x 5,000 users with the shipped defaults (every feature on, 4
// accounts at once) on the image's Node 24 with its entrypoint's flags: 217-258 MB over three runs (189-192 MB
// on Node 20; README, Benchmarks; 566 MB when issue 14 was filed).
const BENCH_PEAK_RSS_MIB = 258;
// shutdown_grace_seconds' default: SIGTERM lets the batch in flight commit within it.
const SHUTDOWN_GRACE_SECONDS = 30;

let manifests: Manifest[];
let objects: Manifest[];
beforeAll(() => {
  manifests = loadManifests();
  objects = manifests.filter((m) => m.kind !== 'Kustomization');
});

const find = (kind: string, name?: string): Manifest => {
  const m = objects.find((o) => o.kind === kind && (name === undefined || o.name === name));
  if (m === undefined) throw new Error(`no ${kind} ${name ?? ''} in ${MANIFEST_DIR}`);
  return m;
};

function mebibytes(quantity: string): number {
  const m = /^(\d+)(Mi|Gi)$/.exec(quantity);
  if (!m) throw new Error(`unexpected quantity ${quantity}`);
  return Number(m[1]) * (m[2] === 'Gi' ? 1024 : 1);
}

/** Pod specs of the workloads: Deployment and Job templates, CronJob job templates. */
function podSpecs(): [Manifest, Record<string, any>][] {
  return objects.flatMap((m): [Manifest, Record<string, any>][] => {
    if (m.kind === 'Deployment' || m.kind === 'Job') return [[m, m.value.spec.template.spec]];
    if (m.kind === 'CronJob') return [[m, m.value.spec.jobTemplate.spec.template.spec]];
    return [];
  });
}

/** The ConfigMap's config.yaml loaded as the CLI would, with the mounted secret files made up. */
function loadMountedConfig(
  configMapName: string,
  env: NodeJS.ProcessEnv = {},
): ReturnType<typeof loadConfig> {
  const dir = mkdtempSync(join(tmpdir(), 'k8s-config-'));
  const text = (find('ConfigMap', configMapName).value.data['config.yaml'] as string).replaceAll(
    '${file:/var/run/secrets/iam-inventory/',
    `\${file:${dir}/`,
  );
  writeFileSync(join(dir, 'sekoia-intake-key'), 'an-intake-key\n');
  writeFileSync(join(dir, 'config.yaml'), text);
  return loadConfig(join(dir, 'config.yaml'), env);
}

describe('deploy/kubernetes against the Kubernetes API schema', () => {
  it('has every object valid (required fields, types, enums, formats)', async () => {
    expect(objects.length).toBeGreaterThanOrEqual(10);
    const errors: string[] = [];
    for (const m of objects) errors.push(await schemaErrors(m));
    expect(errors.filter((e) => e !== '')).toEqual([]);
  });

  it('has no unknown or mistyped field anywhere (strict field validation), and catches a misspelt one', async () => {
    // A broken copy of the Deployment, checked in the same (slow to start) TypeScript program.
    const bad = structuredClone(find('Deployment'));
    bad.source = 'broken copy';
    bad.value.spec.template.spec.containers[0].livenesProbe = { httpGet: { path: '/healthz', port: 9464 } };
    bad.value.spec.replicas = 'one';
    const errors = typeErrors([...objects, bad]);
    expect(errors.filter((e) => !e.startsWith('broken copy'))).toEqual([]);
    expect(errors.join('\n')).toContain(`'"livenesProbe"' does not exist in type 'IContainer'`);
    expect(errors.join('\n')).toContain(`Type 'string' is not assignable to type 'number'`);
    expect(await schemaErrors(bad)).toContain('spec/replicas must be integer');
  });

  it('lists only files that exist in the kustomization, and every reference resolves', () => {
    const kustomization = manifests.find((m) => m.kind === 'Kustomization');
    for (const file of kustomization?.value.resources as string[]) {
      expect(existsSync(join(MANIFEST_DIR, file))).toBe(true);
    }
    const names = (kind: string) => new Set(objects.filter((o) => o.kind === kind).map((o) => o.name));
    for (const [m, pod] of podSpecs()) {
      expect(names('ServiceAccount').has(pod.serviceAccountName)).toBe(true);
      for (const v of pod.volumes as Record<string, any>[]) {
        if (v.configMap)
          expect([m.source, names('ConfigMap').has(v.configMap.name)]).toEqual([m.source, true]);
        if (v.persistentVolumeClaim) {
          expect(names('PersistentVolumeClaim').has(v.persistentVolumeClaim.claimName)).toBe(true);
        }
        // The Secret is created by the operator (secret.example.yaml shows its keys).
        if (v.secret) expect(v.secret.secretName).toBe(find('Secret').name);
      }
    }
  });
});

describe('the workloads', () => {
  it('run the image as its non-root user with a read-only root filesystem and no privileges', () => {
    const uid = Number(/--uid (\d+)/.exec(readFileSync('Dockerfile', 'utf8'))?.[1]);
    const version = (JSON.parse(readFileSync('package.json', 'utf8')) as { version: string }).version;
    for (const [m, pod] of podSpecs()) {
      expect([m.source, pod.securityContext]).toMatchObject([
        m.source,
        { runAsNonRoot: true, runAsUser: uid, runAsGroup: uid, fsGroup: uid },
      ]);
      expect(pod.terminationGracePeriodSeconds).toBeGreaterThan(SHUTDOWN_GRACE_SECONDS);
      for (const c of [...(pod.initContainers ?? []), ...pod.containers] as Record<string, any>[]) {
        expect([m.source, c.name, c.image]).toEqual([m.source, c.name, `iam-inventory:${version}`]);
        expect(c.securityContext).toEqual({
          allowPrivilegeEscalation: false,
          readOnlyRootFilesystem: true,
          capabilities: { drop: ['ALL'] },
        });
      }
    }
  });

  it('request at least the benchmark peak of memory and limit it with room to spare', () => {
    for (const [m, pod] of podSpecs()) {
      const { requests, limits } = pod.containers[0].resources as Record<string, Record<string, string>>;
      expect([m.source, mebibytes(requests!.memory!) >= BENCH_PEAK_RSS_MIB]).toEqual([m.source, true]);
      expect([m.source, mebibytes(limits!.memory!) >= 1.5 * BENCH_PEAK_RSS_MIB]).toEqual([m.source, true]);
      expect(limits!.cpu).toBeUndefined();
    }
  });

  it('keep config errors (exit 2) from being retried in the jobs', () => {
    for (const m of objects.filter((o) => o.kind === 'Job' || o.kind === 'CronJob')) {
      const job = m.kind === 'CronJob' ? m.value.spec.jobTemplate.spec : m.value.spec;
      expect(job.template.spec.restartPolicy).toBe('Never');
      const rule = job.podFailurePolicy.rules[0];
      expect(['FailJob', 'FailIndex']).toContain(rule.action);
      expect(rule.onExitCodes).toEqual({ containerName: 'iam-inventory', operator: 'In', values: [2] });
    }
  });
});

describe('the daemon Deployment', () => {
  it('has one replica, replaced with Recreate, its state on a PersistentVolumeClaim', () => {
    const { spec } = find('Deployment').value;
    expect(spec.replicas).toBe(1);
    expect(spec.strategy).toEqual({ type: 'Recreate' });
    const pod = spec.template.spec;
    const daemon = pod.containers[0];
    const config = loadMountedConfig('iam-inventory-config');
    const stateMount = daemon.volumeMounts.find((v: any) => config.state.path.startsWith(`${v.mountPath}/`));
    const volume = pod.volumes.find((v: any) => v.name === stateMount.name);
    expect(volume.persistentVolumeClaim.claimName).toBe('iam-inventory-state');
    expect(find('PersistentVolumeClaim', 'iam-inventory-state').value.spec.accessModes).toEqual([
      'ReadWriteOnce',
    ]);
  });

  it('probes /healthz and /readyz on the port its config listens on, on every interface', () => {
    const pod = find('Deployment').value.spec.template.spec;
    const daemon = pod.containers[0];
    expect(daemon.args.slice(0, 3)).toEqual(['daemon', '--config', '/etc/iam-inventory/config.yaml']);
    const { host, port } = parseListen(loadMountedConfig('iam-inventory-config').ops.listen);
    expect(host).toBe('0.0.0.0');
    expect(daemon.ports).toEqual([{ name: 'ops', containerPort: port }]);
    expect(daemon.livenessProbe.httpGet).toEqual({ path: '/healthz', port: 'ops' });
    expect(daemon.readinessProbe.httpGet).toEqual({ path: '/readyz', port: 'ops' });
    expect(find('Service').value.spec.ports[0].targetPort).toBe('ops');
    expect(find('Service').value.spec.selector).toEqual(find('Deployment').value.spec.selector.matchLabels);
  });

  it('validates its config in an init container before the daemon starts', () => {
    const pod = find('Deployment').value.spec.template.spec;
    expect(pod.initContainers[0].args).toEqual([
      'validate-config',
      '--config',
      '/etc/iam-inventory/config.yaml',
    ]);
    expect(pod.initContainers[0].volumeMounts).toEqual(pod.containers[0].volumeMounts.slice(0, 2));
  });

  it('has a config that loads, with its secret from a mounted file and shutdown within the grace period', () => {
    const config = loadMountedConfig('iam-inventory-config');
    const sink = config.sinks[0] as unknown as Record<string, unknown>;
    expect(sink.intake_key).toBe('an-intake-key');
    expect(config.shutdown_grace_seconds).toBeLessThan(
      find('Deployment').value.spec.template.spec.terminationGracePeriodSeconds,
    );
    const secret = parse(readFileSync(join(MANIFEST_DIR, 'secret.example.yaml'), 'utf8')) as Record<
      string,
      any
    >;
    expect(secret.stringData).toEqual({});
  });
});

describe('the one-shot CronJob and the sharded Indexed Job', () => {
  it('runs a full collection hourly, never two at once, on its own state volume', () => {
    const cron = find('CronJob').value;
    expect(cron.spec.concurrencyPolicy).toBe('Forbid');
    const pod = cron.spec.jobTemplate.spec.template.spec;
    expect(pod.containers[0].args.slice(0, 3)).toEqual(['run', '--mode', 'full']);
    const claim = pod.volumes.find((v: any) => v.persistentVolumeClaim).persistentVolumeClaim.claimName;
    expect(claim).not.toBe('iam-inventory-state');
  });

  it('gives shard K of N to pod K, N = completions = parallelism, each shard its own state file', () => {
    const job = find('Job').value.spec;
    expect(job.completionMode).toBe('Indexed');
    const args = job.template.spec.containers[0].args as string[];
    const shard = args[args.indexOf('--shard') + 1];
    const m = /^\$\(JOB_COMPLETION_INDEX\)\/(\d+)$/.exec(shard ?? '');
    expect(m).not.toBeNull();
    expect(job.completions).toBe(Number(m?.[1]));
    expect(job.parallelism).toBe(job.completions);
    const config = job.template.spec.volumes.find((v: any) => v.configMap).configMap.name;
    const paths = [0, 1].map(
      (k) => loadMountedConfig(config, { JOB_COMPLETION_INDEX: String(k) }).state.path,
    );
    expect(paths).toEqual([
      '/var/lib/iam-inventory/shard-0/state.db',
      '/var/lib/iam-inventory/shard-1/state.db',
    ]);
    expect(find('PersistentVolumeClaim', 'iam-inventory-shards-state').value.spec.accessModes).toEqual([
      'ReadWriteMany',
    ]);
  });
});
