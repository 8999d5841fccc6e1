import { startDemoService } from '@edge/demo-kit';
import { CatalogModule } from './app/catalog.module';

startDemoService({
  service: 'demo-catalog',
  defaultPort: 4101,
  audience: 'catalog-api',
  module: CatalogModule,
  openApi: { title: 'Demo catalog', description: 'Products: public ones for everyone, tenant-only ones for their tenant.' },
}).catch((error: unknown) => {
  process.stderr.write(`demo-catalog failed to start: ${(error as Error).message}\n`);
  process.exit(1);
});
