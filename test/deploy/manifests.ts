// Reading deploy/kubernetes/*.yaml and checking documents against the Kubernetes API offline: the JSON
// schemas of kubernetes-models (compiled from the API's OpenAPI definitions: required fields, types, enums,
// formats) and, because those schemas accept unknown fields, its TypeScript declarations of the same API, so
// that a misspelt field (`livenesProbe`) is an excess-property error as the API server's strict field
// validation would make it.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import ts from 'typescript';
import { parseAllDocuments } from 'yaml';

export const MANIFEST_DIR = join(process.cwd(), 'deploy', 'kubernetes');

export interface Manifest {
  /** "deployment.yaml#0" */
  source: string;
  apiVersion: string;
  kind: string;
  name: string;
  value: Record<string, any>;
}

export function loadManifests(dir = MANIFEST_DIR): Manifest[] {
  const manifests: Manifest[] = [];
  for (const file of readdirSync(dir)
    .filter((f) => f.endsWith('.yaml'))
    .sort()) {
    parseAllDocuments(readFileSync(join(dir, file), 'utf8')).forEach((doc, i) => {
      if (doc.errors.length > 0) throw new Error(`${file}#${i}: ${doc.errors[0]?.message}`);
      const value = doc.toJS() as Record<string, any> | null;
      if (value === null) return;
      manifests.push({
        source: `${file}#${i}`,
        apiVersion: String(value.apiVersion),
        kind: String(value.kind),
        name: String(value.metadata?.name),
        value,
      });
    });
  }
  return manifests;
}

/** The kubernetes-models module of an API object: kubernetes-models/apps/v1/Deployment (its exports map). */
export function modelModule(m: Pick<Manifest, 'apiVersion' | 'kind'>): string {
  return `kubernetes-models/${m.apiVersion}/${m.kind}`;
}

/** Schema errors of one object ('' when valid), from the model's validate(). */
export async function schemaErrors(m: Manifest): Promise<string> {
  const mod = (await import(modelModule(m))) as Record<string, new (data: unknown) => { validate(): void }>;
  const Model = mod[m.kind];
  if (Model === undefined) return `${m.source}: no model for ${m.apiVersion} ${m.kind}`;
  try {
    new Model(m.value).validate();
    return '';
  } catch (err) {
    return `${m.source} (${m.kind} ${m.name}): ${(err as Error).message}`;
  }
}

/** Type errors (unknown fields among them) of every object, type-checked against the API declarations. */
export function typeErrors(manifests: readonly Manifest[]): string[] {
  const file = join(MANIFEST_DIR, '__manifests__.ts');
  const imports = manifests.map((m, i) => `import type { I${m.kind} as T${i} } from '${modelModule(m)}';`);
  const lines = [...imports];
  const owner: string[] = imports.map(() => 'imports');
  manifests.forEach((m, i) => {
    const body = `export const m${i}: T${i} = ${JSON.stringify(m.value, null, 2)};`.split('\n');
    lines.push(...body);
    owner.push(...body.map(() => `${m.source} (${m.kind} ${m.name})`));
  });
  const text = lines.join('\n');
  const options: ts.CompilerOptions = {
    strict: true,
    noEmit: true,
    skipLibCheck: true,
    types: [],
    lib: ['lib.es2023.d.ts'],
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.NodeNext,
    moduleResolution: ts.ModuleResolutionKind.NodeNext,
  };
  const host = ts.createCompilerHost(options);
  const getSourceFile = host.getSourceFile.bind(host);
  host.getSourceFile = (name, language, ...rest) =>
    name === file ? ts.createSourceFile(name, text, language) : getSourceFile(name, language, ...rest);
  const program = ts.createProgram([file], options, host);
  return ts.getPreEmitDiagnostics(program).map((d) => {
    const message = ts.flattenDiagnosticMessageText(d.messageText, '\n');
    if (d.file?.fileName !== file || d.start === undefined) return message;
    const { line } = d.file.getLineAndCharacterOfPosition(d.start);
    return `${owner[line]}: ${message} (near: ${lines[line]?.trim()})`;
  });
}
