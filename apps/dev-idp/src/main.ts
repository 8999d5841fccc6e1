import { productionRefusal } from './app/production-guard';
import { startDevIdp } from './app/dev-idp';

// The development OpenID Provider (DESIGN.md §3). Never in production.
const refusal = productionRefusal();
if (refusal) {
  process.stderr.write(`${refusal}\n`);
  process.exit(1);
}
startDevIdp().catch((error: unknown) => {
  process.stderr.write(`dev-idp failed to start: ${(error as Error).message}\n`);
  process.exit(1);
});
