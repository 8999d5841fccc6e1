import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { IConfigMap } from 'kubernetes-models/v1/ConfigMap';
import type { INamespace } from 'kubernetes-models/v1/Namespace';
import type { ISecret } from 'kubernetes-models/v1/Secret';
import type { IService } from 'kubernetes-models/v1/Service';
import type { IHorizontalPodAutoscaler } from 'kubernetes-models/autoscaling/v2/HorizontalPodAutoscaler';
import type { IIngress } from 'kubernetes-models/networking.k8s.io/v1/Ingress';
import type { INetworkPolicy } from 'kubernetes-models/networking.k8s.io/v1/NetworkPolicy';
import type { IPodDisruptionBudget } from 'kubernetes-models/policy/v1/PodDisruptionBudget';
import { NetworkPolicyModel, selectorMatches, type Endpoint, type ExternalEndpoint, type PodEndpoint } from './k8s/network-policy-model';
import { buildApps } from '@edge/testing';
import { named, ofKind, renderOverlay, workspaceRoot, type K8sObject } from './k8s/render-overlay';
import { unknownFieldProblems, validateWithModels } from './k8s/schema-validation';
import { containersOf, defaultPort, environmentOf, mainContainer, podOf, quantity, serviceForHost, type Deployment } from './k8s/workload';
import { deployableApps } from './workspace/deployable-apps';
import { readNodeHeap, semiSpaceMb } from './workspace/node-heap';

const overlays = { dev: { namespace: 'edge-dev', minReplicas: 1 }, prod: { namespace: 'edge', minReplicas: 3 } } as const;
type Overlay = keyof typeof overlays;

const EDGE = ['gateway', 'bff-web', 'bff-mobile', 'bff-partner'];
const BFFS = ['bff-web', 'bff-mobile', 'bff-partner'];
/** Environment variables naming something the app calls (not origins or public URLs). */
const CALL_TARGET = /(_URL|_URI|^OIDC_ISSUER)$/;

// Peers outside the namespace that the policies name or must keep out.
const ingressController: PodEndpoint = { kind: 'pod', name: 'ingress-controller', namespace: 'ingress-nginx', labels: { 'app.kubernetes.io/name': 'ingress-nginx' }, ports: [] };
const prometheus: PodEndpoint = { kind: 'pod', name: 'prometheus', namespace: 'monitoring', labels: { 'app.kubernetes.io/name': 'prometheus' }, ports: [] };
// Same labels as our gateway, another namespace: a podSelector alone must not admit it.
const stranger: PodEndpoint = { kind: 'pod', name: 'stranger', namespace: 'other-team', labels: { 'app.kubernetes.io/name': 'gateway', 'app.kubernetes.io/component': 'gateway' }, ports: [] };
const internet: ExternalEndpoint = { kind: 'external', name: 'internet', ip: '203.0.113.10' };
const kubeDns: PodEndpoint = { kind: 'pod', name: 'kube-dns', namespace: 'kube-system', labels: { 'k8s-app': 'kube-dns' }, ports: [{ name: 'dns', containerPort: 53, protocol: 'UDP' }] };

function envNumber(env: Map<string, { value?: string }>, key: string): number {
  const raw = env.get(key)?.value;
  if (raw === undefined || !/^\d+$/.test(raw)) throw new Error(`${key} must be set in milliseconds (got ${raw})`);
  return Number(raw);
}

describe.each(Object.keys(overlays) as Overlay[])('Kubernetes overlay %s', (overlay) => {
  const { namespace } = overlays[overlay];
  let objects: K8sObject[];
  let deployments: Deployment[];
  let policies: (INetworkPolicy & K8sObject)[];
  let model: NetworkPolicyModel;

  beforeAll(() => {
    objects = renderOverlay(overlay);
    deployments = ofKind<Deployment>(objects, 'Deployment') as Deployment[];
    policies = ofKind<INetworkPolicy>(objects, 'NetworkPolicy');
    model = new NetworkPolicyModel(policies, (ns) => ({ 'kubernetes.io/metadata.name': ns }));
  });

  const deployment = (name: string) => named(deployments, name);
  const component = (d: Deployment) => d.spec?.template.metadata?.labels?.['app.kubernetes.io/component'];
  const isApp = (d: Deployment) => component(d) !== 'state-store';

  it('validates every object against the Kubernetes schemas, without unknown fields', () => {
    expect(objects.length).toBeGreaterThan(20);
    expect(validateWithModels(objects)).toEqual([]);
    expect(unknownFieldProblems(objects)).toEqual([]);
  }, 60_000);

  it('puts everything in its own namespace, which enforces the restricted Pod Security Standard', () => {
    const [ns, ...more] = ofKind<INamespace>(objects, 'Namespace');
    expect(more).toEqual([]);
    expect(ns?.metadata.name).toBe(namespace);
    expect(ns?.metadata.labels?.['pod-security.kubernetes.io/enforce']).toBe('restricted');
    for (const o of objects.filter((o) => o.kind !== 'Namespace')) expect(`${o.kind}/${o.metadata.name} ${o.metadata.namespace}`).toBe(`${o.kind}/${o.metadata.name} ${namespace}`);
  });

  it('deploys every deployable app, dev-idp only in dev', () => {
    const expected = deployableApps(workspaceRoot).filter((app) => overlay === 'dev' || app !== 'dev-idp');
    expect(deployments.filter(isApp).map((d) => d.metadata.name).sort()).toEqual(expected);
    if (overlay === 'prod') {
      expect(JSON.stringify(objects)).not.toContain('dev-idp');
      expect(JSON.stringify(objects)).not.toMatch(/NODE_ENV[^,]*development/);
    } else {
      expect(environmentOf(mainContainer(deployment('dev-idp')), objects).get('NODE_ENV')?.value).toBe('development');
    }
    for (const d of deployments.filter(isApp)) {
      const image = mainContainer(d).image ?? '';
      expect(image).toMatch(new RegExp(`(^|/)edge-platform/${d.metadata.name}:[\\w.-]+$`));
      expect(image).not.toMatch(/:latest$/);
    }
  });

  it('probes /healthz (startup, liveness) and /readyz (readiness) on the port each app listens on', () => {
    for (const d of deployments.filter(isApp)) {
      const c = mainContainer(d);
      const env = environmentOf(c, objects);
      const http = c.ports?.find((p) => p.name === 'http');
      expect({ app: d.metadata.name, port: env.get('PORT')?.value, host: env.get('HOST')?.value }).toEqual({ app: d.metadata.name, port: String(http?.containerPort), host: '0.0.0.0' });
      expect({ app: d.metadata.name, liveness: c.livenessProbe?.httpGet, readiness: c.readinessProbe?.httpGet, startup: c.startupProbe?.httpGet }).toEqual({
        app: d.metadata.name,
        liveness: { path: '/healthz', port: 'http' },
        readiness: { path: '/readyz', port: 'http' },
        startup: { path: '/healthz', port: 'http' },
      });
    }
    for (const d of deployments.filter((d) => !isApp(d))) {
      const c = mainContainer(d);
      expect(c.livenessProbe).toBeDefined();
      expect(c.readinessProbe).toBeDefined();
    }
  });

  it('gives every pod a preStop pause and a grace period covering preStop + drain delay + grace + margin', () => {
    for (const d of deployments.filter(isApp)) {
      const c = mainContainer(d);
      const env = environmentOf(c, objects);
      const command = c.lifecycle?.preStop?.exec?.command ?? [];
      expect(command[0]).toBe('sleep');
      const preStopMs = Number(command[1]) * 1000;
      expect(preStopMs).toBeGreaterThan(0);
      const drainMs = envNumber(env, 'SHUTDOWN_DRAIN_DELAY_MS');
      const graceMs = envNumber(env, 'SHUTDOWN_GRACE_MS');
      const periodMs = (d.spec?.template.spec?.terminationGracePeriodSeconds ?? 30) * 1000;
      // At least one second left for the process to exit after its grace period.
      expect({ app: d.metadata.name, fits: periodMs >= preStopMs + drainMs + graceMs + 1000 }).toEqual({ app: d.metadata.name, fits: true });
      // Requests may run REQUEST_BUDGET_MS; the grace period lets the longest finish.
      expect(graceMs).toBeGreaterThanOrEqual(envNumber(env, 'REQUEST_BUDGET_MS'));
    }
  });

  it('sets requests and limits for CPU and memory, requests within limits', () => {
    for (const d of deployments) {
      for (const c of containersOf(d)) {
        for (const resource of ['cpu', 'memory']) {
          const request = quantity(c.resources?.requests?.[resource]);
          const limit = quantity(c.resources?.limits?.[resource]);
          expect({ where: `${d.metadata.name} ${resource}`, ok: request > 0 && limit >= request }).toEqual({ where: `${d.metadata.name} ${resource}`, ok: true });
        }
      }
    }
  });

  it("leaves room under each app's memory limit for its V8 heap caps (docker/node-heap.json) and ~100 MB of code and native memory", () => {
    const heap = readNodeHeap(workspaceRoot);
    const apps = deployableApps(workspaceRoot);
    const ours = deployments.filter((d) => apps.includes(d.metadata.name));
    expect(ours.length).toBeGreaterThanOrEqual(8);
    for (const d of ours) {
      expect({ app: d.metadata.name, capped: heap.oldSpaceMb[d.metadata.name] !== undefined }).toEqual({ app: d.metadata.name, capped: true });
      const limitMb = quantity(mainContainer(d).resources?.limits?.['memory']) / 2 ** 20;
      // Young generation: two semi-spaces plus V8's new large-object space.
      const needMb = (heap.oldSpaceMb[d.metadata.name] as number) + 3 * semiSpaceMb(heap, d.metadata.name) + 96;
      expect({ app: d.metadata.name, fits: needMb <= limitMb }).toEqual({ app: d.metadata.name, fits: true });
    }
  });

  it('runs every container non-root (apps as node, uid 1000) on a read-only root filesystem with no capabilities', () => {
    for (const d of deployments) {
      const pod = d.spec?.template.spec;
      expect({ d: d.metadata.name, automount: pod?.automountServiceAccountToken, links: pod?.enableServiceLinks, nonRoot: pod?.securityContext?.runAsNonRoot, seccomp: pod?.securityContext?.seccompProfile?.type }).toEqual({
        d: d.metadata.name,
        automount: false,
        links: false,
        nonRoot: true,
        seccomp: 'RuntimeDefault',
      });
      for (const c of containersOf(d)) {
        const s = c.securityContext;
        expect({ c: c.name, escalation: s?.allowPrivilegeEscalation, readOnly: s?.readOnlyRootFilesystem, nonRoot: s?.runAsNonRoot, drop: s?.capabilities?.drop, add: s?.capabilities?.add, privileged: s?.privileged }).toEqual({
          c: c.name,
          escalation: false,
          readOnly: true,
          nonRoot: true,
          drop: ['ALL'],
          add: undefined,
          privileged: undefined,
        });
        const uid = s?.runAsUser ?? pod?.securityContext?.runAsUser;
        if (isApp(d)) expect({ c: c.name, uid }).toEqual({ c: c.name, uid: 1000 });
        else expect(uid).toBeGreaterThan(0);
      }
    }
  });

  it('rolls out without losing capacity and gives each app a ClusterIP Service on its named port', () => {
    const services = ofKind<IService>(objects, 'Service');
    for (const d of deployments.filter(isApp)) {
      expect({ d: d.metadata.name, strategy: d.spec?.strategy?.rollingUpdate?.maxUnavailable }).toEqual({ d: d.metadata.name, strategy: 0 });
      const service = named(services, d.metadata.name);
      expect(selectorMatches({ matchLabels: service.spec?.selector }, d.spec?.template.metadata?.labels ?? {})).toBe(true);
      expect(service.spec?.ports?.map((p) => p.targetPort)).toEqual(['http']);
    }
    // Nothing is exposed past the Ingress: no NodePort or LoadBalancer Service anywhere.
    expect(services.filter((s) => (s.spec?.type ?? 'ClusterIP') !== 'ClusterIP').map((s) => s.metadata.name)).toEqual([]);
  });

  it('has one Ingress, and it routes only to the gateway', () => {
    const ingresses = ofKind<IIngress>(objects, 'Ingress');
    expect(ingresses.map((i) => i.metadata.name)).toEqual(['gateway']);
    const spec = ingresses[0]?.spec;
    const backends = [spec?.defaultBackend, ...(spec?.rules ?? []).flatMap((r) => (r.http?.paths ?? []).map((p) => p.backend))].filter((b) => b !== undefined);
    expect(backends.length).toBeGreaterThan(0);
    for (const backend of backends) expect(backend.service?.name).toBe('gateway');
    if (overlay === 'prod') expect(spec?.tls?.[0]?.hosts).toEqual(spec?.rules?.map((r) => r.host));
  });

  it('autoscales the gateway and the BFFs and bounds their disruptions; the HPA owns their replica count', () => {
    const hpas = ofKind<IHorizontalPodAutoscaler>(objects, 'HorizontalPodAutoscaler');
    const pdbs = ofKind<IPodDisruptionBudget>(objects, 'PodDisruptionBudget');
    expect(hpas.map((h) => h.spec?.scaleTargetRef.name).sort()).toEqual([...EDGE].sort());
    expect(pdbs.map((p) => p.metadata.name).sort()).toEqual([...EDGE].sort());
    for (const app of EDGE) {
      const d = deployment(app);
      const hpa = hpas.find((h) => h.spec?.scaleTargetRef.name === app);
      expect(hpa?.spec?.scaleTargetRef.kind).toBe('Deployment');
      expect(hpa?.spec?.minReplicas).toBe(overlays[overlay].minReplicas);
      expect(hpa?.spec?.maxReplicas).toBeGreaterThan(hpa?.spec?.minReplicas ?? Infinity);
      expect(d.spec?.replicas).toBeUndefined();
      const pdb = named(pdbs, app);
      expect(selectorMatches(pdb.spec?.selector, d.spec?.template.metadata?.labels ?? {})).toBe(true);
      // Never a budget that blocks every eviction (minAvailable = all pods).
      expect(pdb.spec?.maxUnavailable).toBe(1);
    }
  });

  it('holds the gateway config from apps/gateway/config/gateway.yaml in a ConfigMap the gateway mounts as a directory', () => {
    const configMap = named(ofKind<IConfigMap>(objects, 'ConfigMap'), 'gateway-config');
    expect(configMap.data?.['gateway.yaml']).toBe(readFileSync(path.join(workspaceRoot, 'apps/gateway/config/gateway.yaml'), 'utf8'));
    const gateway = deployment('gateway');
    const c = mainContainer(gateway);
    const file = environmentOf(c, objects).get('GATEWAY_CONFIG')?.value ?? '';
    const volume = gateway.spec?.template.spec?.volumes?.find((v) => v.configMap?.name === 'gateway-config');
    expect(volume).toBeDefined();
    const mount = c.volumeMounts?.find((m) => m.name === volume?.name);
    // A directory mount (no subPath) is what kubelet updates in place, and what the gateway watches.
    expect({ dir: mount?.mountPath, subPath: mount?.subPath, readOnly: mount?.readOnly }).toEqual({ dir: path.posix.dirname(file), subPath: undefined, readOnly: true });
    expect(path.posix.basename(file)).toBe('gateway.yaml');
  });

  it('gives the gateway a config it accepts with the environment of the overlay (gateway check)', () => {
    buildApps(['gateway']);
    const dir = mkdtempSync(path.join(tmpdir(), 'k8s-gateway-'));
    try {
      const file = path.join(dir, 'gateway.yaml');
      writeFileSync(file, named(ofKind<IConfigMap>(objects, 'ConfigMap'), 'gateway-config').data?.['gateway.yaml'] ?? '');
      const env: Record<string, string> = { PATH: process.env['PATH'] ?? '' };
      for (const [name, { value }] of environmentOf(mainContainer(deployment('gateway')), objects)) if (value !== undefined) env[name] = value;
      const run = spawnSync(process.execPath, [path.join(workspaceRoot, 'dist/apps/gateway/main.js'), 'check', file], { env, encoding: 'utf8' });
      expect(run.stdout + run.stderr).toMatch(/: ok \(/);
      expect(run.status).toBe(0);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);

  it('reads secrets from Secrets only: generated in dev, never present in prod', () => {
    const secrets = ofKind<ISecret>(objects, 'Secret');
    for (const d of deployments) {
      for (const c of containersOf(d)) {
        for (const variable of c.env ?? []) {
          if (/SECRET|TOKEN|PASSWORD|_KEY$|REDIS_URL/.test(variable.name)) {
            expect({ env: `${d.metadata.name} ${variable.name}`, inline: variable.value }).toEqual({ env: `${d.metadata.name} ${variable.name}`, inline: undefined });
            expect(variable.valueFrom?.secretKeyRef?.name).toMatch(/-secrets/);
          }
        }
        for (const [name, value] of environmentOf(c, objects)) {
          if (value.secret && overlay === 'dev') expect({ env: `${d.metadata.name} ${name}`, resolved: value.value !== undefined }).toEqual({ env: `${d.metadata.name} ${name}`, resolved: true });
          if (value.secret && overlay === 'prod') expect(value.secret.inRender).toBe(false);
        }
      }
    }
    if (overlay === 'prod') expect(secrets.map((s) => s.metadata.name)).toEqual([]);
    else expect(secrets.length).toBeGreaterThan(0);
    // Settings ConfigMaps carry no credentials either.
    for (const map of ofKind<IConfigMap>(objects, 'ConfigMap')) expect(Object.keys(map.data ?? {}).filter((k) => /SECRET|TOKEN|PASSWORD|_KEY$/.test(k))).toEqual([]);
  });

  describe('network policies', () => {
    const pods = () => deployments.map(podOf);
    const pod = (name: string) => podOf(deployment(name));
    const portOf = (p: PodEndpoint) => p.ports.find((x) => x.name === 'http' || x.name === 'redis')?.containerPort ?? 0;
    const calls = (app: string) =>
      [...environmentOf(mainContainer(deployment(app)), objects)].filter(([name, { value }]) => CALL_TARGET.test(name) && !/PUBLIC/.test(name) && value !== undefined && /^(https?|rediss?):\/\//.test(value));
    const redisUsers = () => deployments.filter((d) => environmentOf(mainContainer(d), objects).has('REDIS_URL')).map((d) => d.metadata.name);

    it('denies everything by default, in both directions', () => {
      const deny = policies.filter((p) => Object.keys(p.spec?.podSelector ?? { x: 1 }).length === 0 && !p.spec?.ingress && !p.spec?.egress);
      expect(deny.map((p) => p.spec?.policyTypes?.slice().sort())).toContainEqual(['Egress', 'Ingress']);
    });

    it('lets every pod resolve names', () => {
      for (const p of pods()) {
        expect({ pod: p.name, udp: model.connectionAllowed(p, kubeDns, 53, 'UDP'), tcp: model.connectionAllowed(p, kubeDns, 53, 'TCP') }).toEqual({ pod: p.name, udp: true, tcp: true });
      }
    });

    // The receiver's own policies decide, whatever the callers' egress policies say.
    it('admits to each pod exactly the callers its role allows', () => {
      const sources: Endpoint[] = [ingressController, prometheus, stranger, internet, ...pods()];
      const apps = deployments.filter((d) => ['gateway', 'bff', 'domain-service'].includes(component(d) ?? '')).map((d) => d.metadata.name);
      const expected = (target: string, role: string | undefined): string[] => {
        switch (role) {
          case 'gateway':
            return ['ingress-controller', 'prometheus'];
          case 'bff':
            // dev-idp calls bff-web back for back-channel logout (in prod the IdP comes through the gateway).
            return ['gateway', 'prometheus', ...(overlay === 'dev' && target === 'bff-web' ? ['dev-idp'] : [])];
          case 'domain-service':
            return ['gateway', ...BFFS, 'prometheus'];
          case 'state-store':
            return redisUsers();
          case 'identity-provider':
            return [...apps, 'internet', 'prometheus'];
          default:
            throw new Error(`${target} has no known role (${role})`);
        }
      };
      for (const d of deployments) {
        const target = podOf(d);
        const callers = sources.filter((s) => s.name !== target.name && model.ingressAllowed(target, s, portOf(target))).map((s) => s.name);
        expect({ target: target.name, callers: callers.sort() }).toEqual({ target: target.name, callers: expected(target.name, component(d)).sort() });
      }
      expect(redisUsers().sort()).toEqual(['bff-partner', 'bff-web', 'gateway']);
    });

    it('allows every call an app is configured to make (URLs in its environment), inside the namespace or out', () => {
      let checked = 0;
      for (const d of deployments.filter(isApp)) {
        const source = podOf(d);
        const redis = environmentOf(mainContainer(d), objects).get('REDIS_URL');
        if (redis?.value === undefined && redis?.secret && !redis.secret.inRender) {
          // prod: the managed Redis URL lives in the external Secret; 6379 (or 6380 with TLS) outside.
          expect({ app: d.metadata.name, redis: model.connectionAllowed(source, internet, 6379) && model.connectionAllowed(source, internet, 6380) }).toEqual({ app: d.metadata.name, redis: true });
          checked++;
        }
        for (const [name, { value }] of calls(d.metadata.name)) {
          const url = new URL(value ?? '');
          const service = serviceForHost(url.hostname, objects);
          let target: Endpoint = internet;
          let port = defaultPort(url);
          if (service?.metadata.name === d.metadata.name) continue; // its own address (dev-idp's issuer)
          if (service) {
            const servicePort = service.spec?.ports?.find((p) => p.port === port);
            expect({ env: `${d.metadata.name} ${name}`, servicePort: servicePort?.port }).toEqual({ env: `${d.metadata.name} ${name}`, servicePort: port });
            target = pod(service.metadata.name);
            port = portOf(target);
          }
          expect({ call: `${d.metadata.name} → ${name}=${value}`, allowed: model.connectionAllowed(source, target, port) }).toEqual({ call: `${d.metadata.name} → ${name}=${value}`, allowed: true });
          checked++;
        }
      }
      expect(checked).toBeGreaterThan(20);
    });

    it('keeps egress to outside the cluster to what prod needs (IdP over HTTPS, managed Redis) and shuts it in dev', () => {
      for (const d of deployments) {
        const open = [22, 80, 443, 5432, 6379, 6380, 8080].filter((port) => model.connectionAllowed(podOf(d), internet, port));
        const expected = overlay === 'dev' || !isApp(d) ? [] : redisUsers().includes(d.metadata.name) ? [443, 6379, 6380] : [443];
        expect({ app: d.metadata.name, open }).toEqual({ app: d.metadata.name, open: expected });
      }
    });
  });
});
