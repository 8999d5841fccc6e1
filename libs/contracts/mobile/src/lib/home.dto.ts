import type { MobilePartialDto } from './common.dto';
import type { MobileOrderSummaryDto } from './order.dto';

export interface MobileProfileSummaryDto {
  name: string;
  tier: string;
}

export interface MobileRecommendationDto {
  productId: string;
  reason: string;
}

/**
 * `GET /mobile/v1/home`: the home screen in one round trip. Recommendations are optional:
 * when unavailable the list is empty and `warnings` names them (`Partial-Response: true`).
 */
export interface MobileHomeDto extends MobilePartialDto {
  profile: MobileProfileSummaryDto;
  recentOrders: MobileOrderSummaryDto[];
  recommendations: MobileRecommendationDto[];
}
