import { startDemoService } from '@edge/demo-kit';
import { RecommendationsModule } from './app/recommendations.module';

startDemoService({
  service: 'demo-recommendations',
  defaultPort: 4104,
  audience: 'recommendations-api',
  module: RecommendationsModule,
  openApi: { title: 'Demo recommendations', description: 'Product recommendations for the caller.' },
}).catch((error: unknown) => {
  process.stderr.write(`demo-recommendations failed to start: ${(error as Error).message}\n`);
  process.exit(1);
});
