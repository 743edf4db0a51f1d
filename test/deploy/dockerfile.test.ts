// The Dockerfile, read statically (npm run test:container builds and runs it where an engine exists).
import { readFileSync } from 'node:fs';
import { describe, expect, it } from '@jest/globals';

const dockerfile = readFileSync('Dockerfile', 'utf8');
const instructions = dockerfile
  .replace(/\\\n\s*/g, ' ')
  .split('\n')
  .filter((l) => l.trim() !== '' && !l.startsWith('#'));
const runtime = instructions.slice(instructions.findLastIndex((l) => l.startsWith('FROM ')));
const last = (keyword: string) =>
  runtime
    .filter((l) => l.startsWith(`${keyword} `))
    .at(-1)
    ?.slice(keyword.length + 1);

describe('Dockerfile', () => {
  it('has no parser directive, so BuildKit fetches no frontend image', () => {
    expect(dockerfile).not.toMatch(/^#\s*syntax\s*=/im);
  });

  it('builds and runs on Node 24 LTS, a version package.json supports', () => {
    const froms = instructions.filter((l) => l.startsWith('FROM '));
    expect(froms.map((l) => l.split(' ')[1])).toEqual(['node:24-slim', 'node:24-slim']);
    const engines = (JSON.parse(readFileSync('package.json', 'utf8')) as { engines: { node: string } })
      .engines;
    expect(engines.node.split('||').map((s) => s.trim())).toContain('^24.11');
  });

  it('builds better-sqlite3 from source against the pinned Node headers, as the Node 24 pass of CI does', () => {
    // Node >= 24.19 headers make better-sqlite3 12 abort the process when V8 finalizes a statement.
    const pin = /^ARG NODE_ADDON_HEADERS=(\S+)$/m.exec(dockerfile)?.[1];
    expect(pin).toBe('24.18.1');
    expect(readFileSync('.ci/run', 'utf8')).toContain(`NODE_ADDON_HEADERS=${pin}\n`);
    const install = instructions.find((l) => l.startsWith('RUN npm ci'));
    expect(install).toContain('npm rebuild better-sqlite3 --build-from-source');
    expect(install).toContain(
      'npm_config_nodedir="/tmp/headers/node_modules/node-linux-$(node -p process.arch)"',
    );
  });

  it('keeps build leftovers, dev dependencies and the tsbuildinfo out of the runtime layer', () => {
    const build = instructions.find((l) => l.startsWith('RUN npm run build'));
    expect(build).toContain('npm prune --omit=dev');
    expect(build).toContain('rm -f dist/.tsbuildinfo');
    expect(build).toContain('! -name better_sqlite3.node -exec rm -rf {} +');
    expect(build).toContain('rm -rf deps src binding.gyp');
    // And proves the pruned addon still loads.
    expect(build).toMatch(/node -e "require\('better-sqlite3'\)\(':memory:'\)\.close\(\)"$/);
    const copies = runtime.filter((l) => l.startsWith('COPY '));
    expect(copies.every((l) => l.startsWith('COPY --from=build /app/'))).toBe(true);
  });

  it('runs as uid 10001 in a working folder that user owns (demo writes ./data and ./out there)', () => {
    expect(last('USER')).toBe('iam-inventory');
    expect(dockerfile).toContain('useradd --system --uid 10001');
    const workdir = last('WORKDIR');
    expect(runtime.findLastIndex((l) => l.startsWith('WORKDIR '))).toBeGreaterThan(
      runtime.findIndex((l) => l.startsWith('USER ')),
    );
    expect(dockerfile).toContain(`chown iam-inventory:iam-inventory ${workdir}`);
    expect(last('VOLUME')).toBe(`["${workdir}"]`);
  });

  it("runs the CLI with Node 20's young generation, which Node 24 would double", () => {
    expect(last('ENTRYPOINT')).toBe('["node", "--max-semi-space-size=16", "/app/dist/cli.js"]');
  });

  it('limits glibc to two malloc arenas in the runtime layer', () => {
    expect(runtime).toContain('ENV MALLOC_ARENA_MAX=2');
  });

  it("runs every benchmark with the image's node flags and arenas, so its figures are the image's", () => {
    const scripts = (JSON.parse(readFileSync('package.json', 'utf8')) as { scripts: Record<string, string> })
      .scripts;
    const benches = Object.entries(scripts).filter(([name]) => name === 'bench' || name.startsWith('bench:'));
    expect(benches.length).toBeGreaterThanOrEqual(3);
    for (const [, command] of benches)
      expect(command).toMatch(/^MALLOC_ARENA_MAX=2 node --max-semi-space-size=16 /);
  });

  it('checks health with the script that only probes a daemon, and leaves the SDK warning on', () => {
    expect(last('HEALTHCHECK')).toMatch(/CMD \["node", "\/app\/dist\/scripts\/container-healthcheck\.js"\]$/);
    expect(dockerfile).not.toContain('AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED');
  });

  it('keeps secrets, state and local builds out of the build context', () => {
    const ignored = readFileSync('.dockerignore', 'utf8').split('\n');
    for (const entry of [
      '.git',
      'node_modules',
      'dist',
      'data',
      'out',
      '*.db',
      'config',
      '.env',
      '*.tsbuildinfo',
    ]) {
      expect(ignored).toContain(entry);
    }
  });
});
