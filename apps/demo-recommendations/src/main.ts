import { runDemoService } from '@edge/demo-kit';
import { RecommendationsModule } from './app/recommendations.module';

runDemoService({
  service: 'demo-recommendations',
  defaultPort: 4104,
  audience: 'recommendations-api',
  module: RecommendationsModule,
  openApi: { title: 'Demo recommendations', description: 'Product recommendations for the caller.' },
});
