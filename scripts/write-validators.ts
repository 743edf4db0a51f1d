// Part of `npm run build`: compiles the OCSF event schemas of every supported version and the config schemas
// with ajv ahead of time and writes them as standalone CommonJS modules under dist/validators/, so a CLI
// process starts without compiling them (src/standalone-validator.ts says why and how a stale one is ignored).
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { OCSF_VERSIONS } from '../src/config/ocsf-versions.js';
import { configValidatorModule } from '../src/config/schema-validator.js';
import { loadCompiledSchema } from '../src/ocsf/schema-files.js';
import { eventValidatorModule } from '../src/ocsf/validate.js';
import { packageRoot } from '../src/package-root.js';
import { standaloneModulePath } from '../src/standalone-validator.js';

const modules = [
  configValidatorModule(),
  ...OCSF_VERSIONS.map((version) => eventValidatorModule(version, loadCompiledSchema(version))),
];
for (const { name, code } of modules) {
  const path = standaloneModulePath(packageRoot, name);
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, code);
}
process.stdout.write(`wrote ${modules.length} precompiled validators to dist/validators/\n`);
