import { startBffMobile } from './app/start-bff-mobile';

startBffMobile().catch((error: unknown) => {
  process.stderr.write(`bff-mobile failed to start: ${(error as Error).message}\n`);
  process.exit(1);
});
