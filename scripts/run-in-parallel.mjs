// `node scripts/run-in-parallel.mjs A B ...` runs the npm scripts A, B, ... at once and fails when any fails.
// npm test type-checks (src, scripts, test) and builds (src, scripts) this way: two tsc processes, one core
// each, where one after the other took their sum. Each script's output is printed whole when it ends, so
// two compilers' errors do not interleave. npm and its scripts are plain here (no jest, no build yet).
import { spawn } from 'node:child_process';

const names = process.argv.slice(2);
if (names.length === 0) {
  process.stderr.write('usage: node scripts/run-in-parallel.mjs SCRIPT [SCRIPT ...]\n');
  process.exit(2);
}

const npm = process.env.npm_execpath;
const run = (name) =>
  new Promise((resolve) => {
    // Under npm, npm_execpath is npm's own CLI script: run it with this node, as npm runs scripts.
    const [command, args] =
      npm === undefined ? ['npm', ['run', '-s', name]] : [process.execPath, [npm, 'run', '-s', name]];
    const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.setEncoding('utf8').on('data', (d) => (output += d));
    child.stderr.setEncoding('utf8').on('data', (d) => (output += d));
    child.on('error', (error) => resolve({ name, code: 1, output: `${output}${error.message}\n` }));
    child.on('close', (code) => resolve({ name, code: code ?? 1, output }));
  });

const results = await Promise.all(names.map(run));
for (const { name, code, output } of results) {
  if (output !== '') process.stdout.write(output);
  if (code !== 0) process.stderr.write(`npm run ${name} failed (exit code ${code})\n`);
}
process.exit(results.some((r) => r.code !== 0) ? 1 : 0);
