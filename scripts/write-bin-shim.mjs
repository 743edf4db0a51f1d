// tsc compiles src/ and scripts/ side by side under dist/, so the published bin (dist/cli.js) is a shim
// that loads the real entry point.
import { chmodSync, writeFileSync } from 'node:fs';

const shim = "#!/usr/bin/env node\nimport './src/cli/main.js';\n";
writeFileSync(new URL('../dist/cli.js', import.meta.url), shim);
chmodSync(new URL('../dist/cli.js', import.meta.url), 0o755);
