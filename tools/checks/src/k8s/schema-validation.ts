import { spawnSync } from 'node:child_process';
import path from 'node:path';
import ts from 'typescript';
import type { K8sObject } from './render-overlay';
import { workspaceRoot } from './render-overlay';

export interface SchemaProblem {
  object: string;
  errors: string[];
}

/**
 * Each object against the Kubernetes OpenAPI schemas (kubernetes-models' validators: types,
 * required fields, enums, formats). Runs in a Node child process: the package is ESM-only.
 */
export function validateWithModels(objects: readonly K8sObject[]): SchemaProblem[] {
  const run = spawnSync(process.execPath, [path.join(__dirname, 'validate-with-models.mjs')], {
    cwd: workspaceRoot,
    input: JSON.stringify(objects.map(unfoldSecretData)),
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });
  if (run.status !== 0) throw new Error(`schema validation did not run:\n${run.stderr}`);
  return JSON.parse(run.stdout) as SchemaProblem[];
}

/**
 * kustomize 5 folds long base64 values over several lines; the API server's decoder (Go's
 * encoding/base64) skips line breaks, the schema's "byte" format does not.
 */
function unfoldSecretData(object: K8sObject): K8sObject {
  if (object.kind !== 'Secret' || typeof object['data'] !== 'object' || object['data'] === null) return object;
  const data = Object.fromEntries(Object.entries(object['data'] as Record<string, string>).map(([k, v]) => [k, v.replace(/[\r\n]/g, '')]));
  return { ...object, data };
}

function modelModule(object: K8sObject): string {
  return `kubernetes-models/${object.apiVersion}/${object.kind}`;
}

/**
 * Unknown fields. The OpenAPI schemas allow extra properties, so a misspelt field
 * (`readinesProbe`) passes schema validation and is silently dropped, while an API server
 * with strict field validation refuses it. TypeScript's excess-property check on object
 * literals typed with kubernetes-models' interfaces finds such fields at every depth.
 */
export function unknownFieldProblems(objects: readonly K8sObject[]): SchemaProblem[] {
  const file = path.join(__dirname, '__rendered-objects__.ts');
  const lines = objects.map((o, i) => `import type { I${o.kind} as T${i} } from '${modelModule(o)}';\nexport const o${i}: T${i} = ${JSON.stringify(o)};`);
  const source = lines.join('\n');
  const options: ts.CompilerOptions = {
    strict: true,
    noEmit: true,
    module: ts.ModuleKind.Preserve,
    moduleResolution: ts.ModuleResolutionKind.Bundler,
    target: ts.ScriptTarget.ES2023,
    skipLibCheck: true,
    types: [],
  };
  const host = ts.createCompilerHost(options);
  const readSource = host.getSourceFile.bind(host);
  const exists = host.fileExists.bind(host);
  host.getSourceFile = (name, language, ...rest) => (name === file ? ts.createSourceFile(name, source, language) : readSource(name, language, ...rest));
  host.fileExists = (name) => name === file || exists(name);
  const program = ts.createProgram([file], options, host);
  const byObject = new Map<number, string[]>();
  for (const diagnostic of ts.getPreEmitDiagnostics(program)) {
    const text = ts.flattenDiagnosticMessageText(diagnostic.messageText, '\n');
    const line = diagnostic.file && diagnostic.start !== undefined ? diagnostic.file.getLineAndCharacterOfPosition(diagnostic.start).line : -1;
    const index = Math.floor(line / 2);
    byObject.set(index, [...(byObject.get(index) ?? []), text.split('\n').pop() ?? text]);
  }
  return [...byObject.entries()].map(([i, errors]) => {
    const o = objects[i];
    return { object: o ? `${o.kind}/${o.metadata.name}` : 'rendered objects', errors };
  });
}
