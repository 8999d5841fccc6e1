import { configurePartnerApi, partnerSettings } from '@edge/bff-partner-api';
import { serverSettings, startEdgeApp } from '@edge/server';
import { createAppModule } from './app/app.module';

const DEFAULT_PORT = 3003;

async function main(): Promise<void> {
  const settings = partnerSettings();
  const server = serverSettings(DEFAULT_PORT);
  await startEdgeApp({
    service: 'bff-partner',
    defaultPort: DEFAULT_PORT,
    module: createAppModule(settings, server.LOG_LEVEL),
    configure: (app) => configurePartnerApi(app, settings),
  });
}

main().catch((error: unknown) => {
  process.stderr.write(`bff-partner failed to start: ${(error as Error).message}\n`);
  process.exit(1);
});
