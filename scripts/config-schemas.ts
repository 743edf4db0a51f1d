// The committed JSON Schemas of the config (for editors and external tools), rendered from the TypeBox
// sources in src/config as prettier formats them, so the files stay generated and `format:check` agrees.
import { join } from 'node:path';
import { format, resolveConfig } from 'prettier';
import { CONFIG_DOCUMENT } from '../src/config/config-schema.js';
import { SINKS_DOCUMENT } from '../src/config/sinks/index.js';
import { packageRoot } from '../src/package-root.js';

const DOCUMENTS = {
  'schemas/config.schema.json': CONFIG_DOCUMENT,
  'schemas/sinks.schema.json': SINKS_DOCUMENT,
};

export interface RenderedSchema {
  /** Absolute path of the committed file. */
  path: string;
  text: string;
}

export async function renderConfigSchemas(root = packageRoot): Promise<RenderedSchema[]> {
  return Promise.all(
    Object.entries(DOCUMENTS).map(async ([file, document]) => {
      const path = join(root, file);
      const options = (await resolveConfig(path)) ?? {};
      // Expanded objects stay expanded under prettier; short arrays are joined on one line.
      const text = await format(JSON.stringify(document, null, 2), { ...options, filepath: path });
      return { path, text };
    }),
  );
}
