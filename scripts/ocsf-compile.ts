import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { compileClassSchema, serializeSchema } from '../src/ocsf/schema-compiler.js';

// npm run ocsf:compile -- --src ../shared/ocsf-schema/1.8.0 --out schemas/ocsf/1.8.0/user_inventory.schema.json
function main(): number {
  const { values } = parseArgs({
    options: {
      src: { type: 'string' },
      out: { type: 'string' },
      class: { type: 'string', default: 'user_inventory' },
    },
  });
  if (!values.src || !values.out) {
    process.stderr.write(
      'usage: ocsf-compile --src <ocsf source dir> --out <schema file> [--class user_inventory]\n',
    );
    return 2;
  }
  const { schema, warnings } = compileClassSchema(resolve(values.src), values.class);
  for (const warning of warnings) process.stderr.write(`warning: ${warning}\n`);
  const out = resolve(values.out);
  mkdirSync(dirname(out), { recursive: true });
  writeFileSync(out, serializeSchema(schema));
  process.stdout.write(`wrote ${out} (${Object.keys(schema.$defs as object).length} objects)\n`);
  return 0;
}

try {
  process.exitCode = main();
} catch (error) {
  process.stderr.write(`ocsf-compile: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
}
