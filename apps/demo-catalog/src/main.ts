import { runDemoService } from '@edge/demo-kit';
import { CatalogModule } from './app/catalog.module';

runDemoService({
  service: 'demo-catalog',
  defaultPort: 4101,
  audience: 'catalog-api',
  module: CatalogModule,
  openApi: { title: 'Demo catalog', description: 'Products: public ones for everyone, tenant-only ones for their tenant.' },
});
