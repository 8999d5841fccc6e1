import { startDemoService } from '@edge/demo-kit';
import { OrdersModule } from './app/orders.module';

startDemoService({
  service: 'demo-orders',
  defaultPort: 4102,
  audience: 'orders-api',
  module: OrdersModule,
  openApi: { title: 'Demo orders', description: 'Orders of a user (or of a tenant, for partner clients); idempotent order creation.' },
}).catch((error: unknown) => {
  process.stderr.write(`demo-orders failed to start: ${(error as Error).message}\n`);
  process.exit(1);
});
