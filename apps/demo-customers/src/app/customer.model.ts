import { ApiProperty } from '@nestjs/swagger';

export const TIERS = ['standard', 'silver', 'gold'] as const;

export interface Address {
  line1: string;
  city: string;
  postalCode: string;
  country: string;
}

export interface CustomerProfile {
  /** The user id (the `sub` of the user's tokens). */
  id: string;
  tenant: string;
  name: string;
  email: string;
  tier: (typeof TIERS)[number];
  address: Address;
  marketingOptIn: boolean;
  /** Internal: never part of a client-facing view. */
  riskScore: number;
}

export class AddressDto {
  @ApiProperty() line1!: string;
  @ApiProperty() city!: string;
  @ApiProperty() postalCode!: string;
  @ApiProperty({ description: 'ISO 3166-1 alpha-2' }) country!: string;
}

export class CustomerView {
  @ApiProperty() id!: string;
  @ApiProperty() tenant!: string;
  @ApiProperty() name!: string;
  @ApiProperty() email!: string;
  @ApiProperty({ enum: TIERS }) tier!: string;
  @ApiProperty({ type: AddressDto }) address!: AddressDto;
  @ApiProperty() marketingOptIn!: boolean;
}

export function customerView(profile: CustomerProfile): CustomerView {
  const { riskScore: _internal, ...view } = profile;
  return { ...view, address: { ...profile.address } };
}
