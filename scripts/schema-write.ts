// npm run schema:write -- writes schemas/config.schema.json and schemas/sinks.schema.json from the TypeBox
// sources in src/config. With --check it writes nothing and exits 1 when a committed file is out of date.
import { readFileSync, writeFileSync } from 'node:fs';
import { relative } from 'node:path';
import { renderConfigSchemas } from './config-schemas.js';

async function main(): Promise<number> {
  const check = process.argv.includes('--check');
  let stale = 0;
  for (const { path, text } of await renderConfigSchemas()) {
    let current = '';
    try {
      current = readFileSync(path, 'utf8');
    } catch {
      // A missing file is out of date like a stale one.
    }
    if (current === text) continue;
    stale += 1;
    if (check)
      process.stderr.write(`${relative(process.cwd(), path)} is out of date: run npm run schema:write\n`);
    else {
      writeFileSync(path, text);
      process.stdout.write(`wrote ${relative(process.cwd(), path)}\n`);
    }
  }
  return check && stale > 0 ? 1 : 0;
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`schema-write: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 1;
  },
);
