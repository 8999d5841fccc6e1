// Cluster mode of the dev stack (`npm run start:cluster`): two instances of the gateway and
// of each BFF share one Redis and sit behind nginx, which listens on the usual ports.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { root } from './stack.mjs';

/** Apps that run twice behind nginx; the others run once. */
export const balancedApps = ['gateway', 'bff-web', 'bff-mobile', 'bff-partner'];

/** Instance ports: the app's port + 10000 and + 20000 (8080 → 18080, 28080). */
export function instancePorts(port) {
  return [port + 10000, port + 20000];
}

export function writeNginxConfig(ports, env = process.env) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'edge-cluster-'));
  const upstreams = balancedApps
    .filter((name) => ports[name] !== undefined)
    .map((name) => {
      const id = name.replace(/-/g, '_');
      // max_fails=0: never take an instance out on its own; a refused connection (an instance
      // restarting) is retried on the other one at once (proxy_next_upstream).
      const servers = instancePorts(ports[name]).map((p) => `    server 127.0.0.1:${p} max_fails=0;`).join('\n');
      return `  upstream ${id} {\n${servers}\n    keepalive 32;\n  }\n  server {\n    listen 127.0.0.1:${ports[name]};\n    client_max_body_size 10m;\n    location / {\n      proxy_pass http://${id};\n      proxy_set_header Connection "";\n      proxy_set_header Host $http_host;\n      proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;\n      proxy_set_header X-Forwarded-Proto $scheme;\n      proxy_read_timeout 30s;\n    }\n  }`;
    })
    .join('\n');
  const template = fs.readFileSync(path.join(root, 'docker/nginx/cluster.conf.template'), 'utf8');
  const conf = template.replaceAll('{{dir}}', dir).replace('{{upstreams}}', upstreams);
  const file = path.join(dir, 'nginx.conf');
  fs.writeFileSync(file, conf);
  return { dir, file, nginx: env.NGINX_BIN ?? '/usr/sbin/nginx' };
}
