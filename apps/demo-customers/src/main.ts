import { startDemoService } from '@edge/demo-kit';
import { CustomersModule } from './app/customers.module';

startDemoService({
  service: 'demo-customers',
  defaultPort: 4103,
  audience: 'customers-api',
  module: CustomersModule,
  openApi: { title: 'Demo customers', description: 'Customer profiles; each user sees only their own.' },
}).catch((error: unknown) => {
  process.stderr.write(`demo-customers failed to start: ${(error as Error).message}\n`);
  process.exit(1);
});
