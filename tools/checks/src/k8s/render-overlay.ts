import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { parseAllDocuments } from 'yaml';

export const workspaceRoot = path.resolve(__dirname, '../../../..');

/** What every rendered object has; kind-specific shapes come from kubernetes-models' types. */
export interface K8sObject {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; labels?: Record<string, string>; annotations?: Record<string, string> };
  [field: string]: unknown;
}

/** `KUBECTL` picks another binary (e.g. to render with an older kustomize as well). */
export function kubectl(): string {
  return process.env['KUBECTL'] ?? 'kubectl';
}

/**
 * `kubectl kustomize docker/k8s/overlays/<name>` → the objects it renders. No cluster is
 * involved: kustomize only reads files.
 */
export function renderOverlay(name: string): K8sObject[] {
  const run = spawnSync(kubectl(), ['kustomize', path.join('docker/k8s/overlays', name)], { cwd: workspaceRoot, encoding: 'utf8' });
  if (run.error) {
    throw new Error(`${kubectl()} is not installed: install Debian's kubernetes-client (apt-get install kubernetes-client; .ci/run does it) to render the Kubernetes overlays`);
  }
  if (run.status !== 0) throw new Error(`kubectl kustomize docker/k8s/overlays/${name} failed:\n${run.stderr}`);
  const objects: K8sObject[] = [];
  for (const doc of parseAllDocuments(run.stdout)) {
    if (doc.errors.length > 0) throw new Error(`rendered YAML does not parse: ${doc.errors[0]?.message}`);
    const value = doc.toJS() as K8sObject | null;
    if (value) objects.push(value);
  }
  return objects;
}

export function ofKind<T>(objects: readonly K8sObject[], kind: string): (T & K8sObject)[] {
  return objects.filter((o) => o.kind === kind) as (T & K8sObject)[];
}

export function named<T extends K8sObject>(objects: readonly T[], name: string): T {
  const found = objects.find((o) => o.metadata.name === name);
  if (!found) throw new Error(`no object named ${name} (have ${objects.map((o) => o.metadata.name).join(', ')})`);
  return found;
}
