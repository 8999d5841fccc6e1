import type { ItemStatus, OperationStatus } from '@edge/contracts-partner';
import type { UpstreamOrder } from '../upstream/upstream-models';

/** A per-item problem as stored (a problem document without correlation members). */
export interface ItemProblemRecord {
  type: string;
  title: string;
  status: number;
  detail?: string;
  errors?: { field: string; detail: string }[];
}

export interface OperationItemRecord {
  status: ItemStatus;
  order?: UpstreamOrder;
  problem?: ItemProblemRecord;
}

/** A bulk operation as kept in the state store; each API version renders it its own way. */
export interface OperationRecord {
  id: string;
  /** Owner: only this tenant's partner may read it (anyone else gets 404). */
  tenant: string;
  partner: string;
  status: OperationStatus;
  createdAt: string;
  updatedAt: string;
  items: OperationItemRecord[];
}
