import type { MoneyDto } from './money.dto';
import type { PartialDto } from './warning.dto';

/** `GET /web/api/home`: the home screen in one call. */
export interface HomeDto extends PartialDto {
  profile: ProfileDto;
  recentOrders: OrderSummaryDto[];
  /** Null when the recommendations part was unavailable (see `warnings`). */
  recommendations: RecommendationDto[] | null;
}

export interface ProfileDto {
  name: string;
  email: string;
  tier: string;
  tenant: string;
}

export interface OrderSummaryDto {
  id: string;
  status: string;
  createdAt: string;
  itemCount: number;
  total: MoneyDto;
}

export interface RecommendationDto {
  productId: string;
  reason: string;
  /** Null when the catalog could not name the product in time (see `warnings`). */
  name: string | null;
  price: MoneyDto | null;
}
