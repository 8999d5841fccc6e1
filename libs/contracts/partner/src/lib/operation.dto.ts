import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { OrderV1, OrderV2 } from './order.dto';
import { ItemProblem } from './problem.dto';

/**
 * pending: items are still being placed · succeeded: every item was placed · failed: at least
 * one item failed (see each result: placed orders stay placed; nothing is rolled back).
 */
export const OPERATION_STATUSES = ['pending', 'succeeded', 'failed'] as const;
export type OperationStatus = (typeof OPERATION_STATUSES)[number];
export const ITEM_STATUSES = ['pending', 'succeeded', 'failed'] as const;
export type ItemStatus = (typeof ITEM_STATUSES)[number];

class OperationItemBase {
  @ApiProperty({ type: 'integer', minimum: 0, description: 'Position in the request’s `orders`', example: 0 }) index!: number;
  @ApiProperty({ enum: ITEM_STATUSES, example: 'succeeded' }) status!: ItemStatus;
  @ApiPropertyOptional({ type: ItemProblem, description: 'Why the item failed (status failed only)' }) problem?: ItemProblem;
}

export class OperationItemV1 extends OperationItemBase {
  @ApiPropertyOptional({ type: OrderV1, description: 'The placed order (status succeeded only)' }) order?: OrderV1;
}

export class OperationItemV2 extends OperationItemBase {
  @ApiPropertyOptional({ type: OrderV2, description: 'The placed order (status succeeded only)' }) order?: OrderV2;
}

class OperationBase {
  @ApiProperty({ example: 'op_5f0c2a9e4b7d4c1f8a3e6d2b1c0f9e8a' }) id!: string;
  @ApiProperty({ enum: OPERATION_STATUSES, example: 'pending' }) status!: OperationStatus;
  @ApiProperty({ format: 'date-time', example: '2026-05-01T09:30:00.000Z' }) createdAt!: string;
  @ApiProperty({ format: 'date-time', example: '2026-05-01T09:30:02.000Z' }) updatedAt!: string;
  @ApiProperty({ type: 'integer', minimum: 0, example: 3 }) total!: number;
  @ApiProperty({ type: 'integer', minimum: 0, example: 2 }) succeeded!: number;
  @ApiProperty({ type: 'integer', minimum: 0, example: 0 }) failed!: number;
}

export class OperationV1 extends OperationBase {
  @ApiProperty({ type: [OperationItemV1] }) results!: OperationItemV1[];
}

export class OperationV2 extends OperationBase {
  @ApiProperty({ type: [OperationItemV2] }) results!: OperationItemV2[];
}
