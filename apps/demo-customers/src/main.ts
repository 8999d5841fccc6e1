import { runDemoService } from '@edge/demo-kit';
import { CustomersModule } from './app/customers.module';

runDemoService({
  service: 'demo-customers',
  defaultPort: 4103,
  audience: 'customers-api',
  module: CustomersModule,
  openApi: { title: 'Demo customers', description: 'Customer profiles; each user sees only their own.' },
});
