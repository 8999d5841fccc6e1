import { Inject, Injectable } from '@nestjs/common';
import { problem } from '@edge/problem-details';
import { STATE_STORE, StateUnavailableError, type StateStore } from '@edge/state';
import { PARTNER_SETTINGS } from '../settings/partner-settings.token';
import type { PartnerSettings } from '../settings/partner-settings';
import type { OperationRecord } from './operation.record';

const OPERATION_ID = /^op_[0-9a-f]{32}$/;

/** Operations in the state store (Redis with REDIS_URL): any instance can answer GET /operations/:id. */
@Injectable()
export class OperationsStore {
  constructor(
    @Inject(STATE_STORE) private readonly store: StateStore,
    @Inject(PARTNER_SETTINGS) private readonly settings: PartnerSettings,
  ) {}

  async put(record: OperationRecord): Promise<void> {
    await this.state(() => this.store.set(`op:${record.id}`, JSON.stringify(record), this.settings.OPERATIONS_TTL));
  }

  /** The operation if it exists and belongs to this tenant's partner; anything else is undefined (404). */
  async find(id: string, owner: { tenant: string; clientId: string }): Promise<OperationRecord | undefined> {
    if (!OPERATION_ID.test(id)) return undefined;
    const text = await this.state(() => this.store.get(`op:${id}`));
    if (text === undefined) return undefined;
    const record = JSON.parse(text) as OperationRecord;
    return record.tenant === owner.tenant && record.partner === owner.clientId ? record : undefined;
  }

  private async state<T>(op: () => Promise<T>): Promise<T> {
    try {
      return await op();
    } catch (error) {
      if (error instanceof StateUnavailableError) {
        throw problem('dependency-unavailable', { detail: 'Operations are unavailable right now; retry shortly.', headers: { 'retry-after': '1' }, cause: error });
      }
      throw error;
    }
  }
}
