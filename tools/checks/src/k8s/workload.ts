import type { IConfigMap } from 'kubernetes-models/v1/ConfigMap';
import type { IContainer } from 'kubernetes-models/v1/Container';
import type { ISecret } from 'kubernetes-models/v1/Secret';
import type { IService } from 'kubernetes-models/v1/Service';
import type { IDeployment } from 'kubernetes-models/apps/v1/Deployment';
import { ofKind, type K8sObject } from './render-overlay';
import type { PodEndpoint } from './network-policy-model';

export type Deployment = IDeployment & K8sObject;

export function containersOf(deployment: Deployment): IContainer[] {
  return deployment.spec?.template.spec?.containers ?? [];
}

export function mainContainer(deployment: Deployment): IContainer {
  const [container] = containersOf(deployment);
  if (!container) throw new Error(`${deployment.metadata.name} has no container`);
  return container;
}

/** The pod a Deployment creates, as the NetworkPolicy model sees it. */
export function podOf(deployment: Deployment): PodEndpoint {
  return {
    kind: 'pod',
    name: deployment.metadata.name,
    namespace: deployment.metadata.namespace ?? 'default',
    labels: deployment.spec?.template.metadata?.labels ?? {},
    ports: containersOf(deployment).flatMap((c) => (c.ports ?? []).map((p) => ({ name: p.name, containerPort: p.containerPort, protocol: p.protocol }))),
  };
}

/** Where one environment variable of a container comes from, resolved within the render. */
export interface EnvValue {
  /** The value when the render holds it (literal, ConfigMap, or a Secret generated in the render). */
  value?: string;
  /** The Secret it is read from, when it is one. */
  secret?: { name: string; key: string; inRender: boolean };
}

export function environmentOf(container: IContainer, objects: readonly K8sObject[]): Map<string, EnvValue> {
  const configMaps = ofKind<IConfigMap>(objects, 'ConfigMap');
  const secrets = ofKind<ISecret>(objects, 'Secret');
  const secretValue = (name: string, key: string): string | undefined => {
    const data = secrets.find((s) => s.metadata.name === name)?.data?.[key];
    return data === undefined ? undefined : Buffer.from(data, 'base64').toString('utf8');
  };
  const env = new Map<string, EnvValue>();
  for (const source of container.envFrom ?? []) {
    const map = configMaps.find((c) => c.metadata.name === source.configMapRef?.name);
    for (const [key, value] of Object.entries(map?.data ?? {})) env.set(`${source.prefix ?? ''}${key}`, { value });
  }
  for (const variable of container.env ?? []) {
    const ref = variable.valueFrom;
    if (ref?.secretKeyRef) {
      const { name = '', key } = ref.secretKeyRef;
      const inRender = secrets.some((s) => s.metadata.name === name);
      env.set(variable.name, { value: secretValue(name, key), secret: { name, key, inRender } });
    } else if (ref?.configMapKeyRef) {
      env.set(variable.name, { value: configMaps.find((c) => c.metadata.name === ref.configMapKeyRef?.name)?.data?.[ref.configMapKeyRef.key] });
    } else {
      env.set(variable.name, { value: variable.value });
    }
  }
  return env;
}

/** The Service of a DNS name inside the namespace ("bff-web", "bff-web.edge.svc.cluster.local"). */
export function serviceForHost(host: string, objects: readonly K8sObject[]): (IService & K8sObject) | undefined {
  const name = host.split('.')[0];
  return ofKind<IService>(objects, 'Service').find((s) => s.metadata.name === name);
}

/** Kubernetes quantities ("250m", "1", "512Mi", "1G") as plain numbers. */
export function quantity(value: string | number | undefined): number {
  if (value === undefined) return Number.NaN;
  if (typeof value === 'number') return value;
  const match = /^([0-9.]+)(m|k|M|G|T|Ki|Mi|Gi|Ti)?$/.exec(value);
  if (!match) return Number.NaN;
  const factors: Record<string, number> = { m: 1e-3, k: 1e3, M: 1e6, G: 1e9, T: 1e12, Ki: 2 ** 10, Mi: 2 ** 20, Gi: 2 ** 30, Ti: 2 ** 40 };
  return Number(match[1]) * (match[2] ? (factors[match[2]] ?? Number.NaN) : 1);
}

export function defaultPort(url: URL): number {
  if (url.port) return Number(url.port);
  const defaults: Record<string, number> = { 'http:': 80, 'https:': 443, 'redis:': 6379, 'rediss:': 6379 };
  return defaults[url.protocol] ?? Number.NaN;
}
