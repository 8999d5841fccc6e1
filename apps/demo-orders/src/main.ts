import { runDemoService } from '@edge/demo-kit';
import { OrdersModule } from './app/orders.module';

runDemoService({
  service: 'demo-orders',
  defaultPort: 4102,
  audience: 'orders-api',
  module: OrdersModule,
  openApi: { title: 'Demo orders', description: 'Orders of a user (or of a tenant, for partner clients); idempotent order creation.' },
});
