import path from 'node:path';
import { serverSettings, startEdgeApp } from '@edge/server';
import { STATE_STORE, type StateStore } from '@edge/state';
import { appModule } from './app/app.module';
import { bffWebOptions } from './app/settings';

// The web BFF (DESIGN.md §3: port 3001, reached through the gateway at /web/*). The SPA
// (apps/web-app) is built beside this file by tools/build/build-app.mjs.
const DEFAULT_PORT = 3001;

async function main(): Promise<void> {
  const options = bffWebOptions(process.env, path.join(__dirname, '..', 'assets', 'web-app'));
  const server = serverSettings(DEFAULT_PORT);
  await startEdgeApp({
    service: 'bff-web',
    defaultPort: DEFAULT_PORT,
    module: appModule(options, server.LOG_LEVEL),
    // Sessions live in the state store: with Redis down this instance cannot serve.
    configure: (app, readiness) => {
      const state = app.get<StateStore>(STATE_STORE);
      readiness.addCheck('state', () => state.ping());
    },
  });
}

main().catch((error: unknown) => {
  process.stderr.write(`bff-web failed to start: ${(error as Error).message}\n`);
  process.exit(1);
});
