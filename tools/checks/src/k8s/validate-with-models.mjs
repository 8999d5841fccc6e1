// Validates Kubernetes objects (a JSON array on stdin) against the official OpenAPI schemas
// with kubernetes-models, and prints one JSON array of problems: [{ object, errors }].
// A child process because kubernetes-models is ESM-only and Jest's module system runs CJS.
import { readFileSync } from 'node:fs';

const objects = JSON.parse(readFileSync(0, 'utf8'));

/** kubernetes-models lays classes out as <group>/<version>/<Kind> ("v1/<Kind>" for the core group). */
function modulePath(apiVersion, kind) {
  return `kubernetes-models/${apiVersion}/${kind}`;
}

const problems = [];
for (const object of objects) {
  const id = `${object.kind}/${object.metadata?.name}`;
  let Model;
  try {
    Model = (await import(modulePath(object.apiVersion, object.kind)))[object.kind];
  } catch {
    Model = undefined;
  }
  if (typeof Model !== 'function') {
    problems.push({ object: id, errors: [`no schema for ${object.apiVersion} ${object.kind}`] });
    continue;
  }
  try {
    new Model(object).validate();
  } catch (error) {
    const details = Array.isArray(error.errors) ? error.errors.map((e) => `${e.instancePath || '/'} ${e.message ?? e.keyword}`) : [String(error.message)];
    problems.push({ object: id, errors: details });
  }
}
process.stdout.write(JSON.stringify(problems));
