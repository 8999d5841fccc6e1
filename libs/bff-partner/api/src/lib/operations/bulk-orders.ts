import { Inject, Injectable, Logger, type BeforeApplicationShutdown } from '@nestjs/common';
import { randomBytes } from 'node:crypto';
import { Counter } from 'prom-client';
import { metricsRegistry, runWithRequestContext, traceContextFrom, type RequestContext } from '@edge/observability';
import { problem, toProblemResponse } from '@edge/problem-details';
import type { PartnerCaller } from '../auth/partner-caller';
import { PARTNER_SETTINGS } from '../settings/partner-settings.token';
import type { PartnerSettings } from '../settings/partner-settings';
import { OrdersUpstream, type NewOrder } from '../upstream/orders.upstream';
import type { ItemProblemRecord, OperationItemRecord, OperationRecord } from './operation.record';
import { OperationsStore } from './operations.store';

/** Orders placed at once per operation: enough to be quick, few enough not to crowd out interactive traffic. */
const CONCURRENCY = 4;

const items = new Counter({
  name: 'partner_bulk_items_total',
  help: 'Orders of bulk operations by outcome',
  labelNames: ['result'] as const,
  registers: [metricsRegistry],
});

function itemProblem(error: unknown): ItemProblemRecord {
  const { type, title, status, detail, errors } = toProblemResponse(error).body;
  return { type, title, status, ...(detail !== undefined ? { detail } : {}), ...(Array.isArray(errors) ? { errors: errors as ItemProblemRecord['errors'] } : {}) };
}

/**
 * `POST /orders/bulk`: the operation is stored as pending and answered with 202 at once;
 * its orders are then placed one by one in the background (a few at a time), each with its
 * own Idempotency-Key (`<operation id>.<index>`, so a retried call never places an order
 * twice), and each outcome is written to the operation as it happens. There is no
 * transaction across orders: the operation ends `succeeded` when every order was placed,
 * `failed` when any was not — and the orders that were placed stay placed.
 * On shutdown, running operations stop taking new items (those left are marked failed: not
 * placed), let the orders in flight finish within their deadline, and save the outcome —
 * before the state store and the HTTP clients close (beforeApplicationShutdown).
 */
@Injectable()
export class BulkOrders implements BeforeApplicationShutdown {
  private readonly logger = new Logger('BulkOrders');
  private readonly running = new Map<string, Promise<void>>();
  /** Set on shutdown: no operation starts another item. */
  private readonly stopping = new AbortController();

  constructor(
    private readonly operations: OperationsStore,
    private readonly orders: OrdersUpstream,
    @Inject(PARTNER_SETTINGS) private readonly settings: PartnerSettings,
  ) {}

  /** Stores the pending operation and starts it; resolves once it is readable by any instance. */
  async start(caller: PartnerCaller, requests: readonly NewOrder[], parent: RequestContext | undefined): Promise<OperationRecord> {
    const now = new Date().toISOString();
    const record: OperationRecord = {
      id: `op_${randomBytes(16).toString('hex')}`,
      tenant: caller.tenant,
      partner: caller.clientId,
      status: 'pending',
      createdAt: now,
      updatedAt: now,
      items: requests.map(() => ({ status: 'pending' })),
    };
    await this.operations.put(record);
    const started = Date.now();
    // Its own context: the inbound request ends with the 202, the operation must not.
    const context: RequestContext = {
      requestId: parent?.requestId ?? record.id,
      trace: parent?.trace ?? traceContextFrom(undefined, undefined),
      deadline: started + this.settings.OPERATION_BUDGET,
      startedAt: started,
      // Never aborted: the inbound request has ended; the deadline bounds the work.
      signal: new AbortController().signal,
      route: 'bulk-operation',
      identity: caller,
    };
    const snapshot = structuredClone(record);
    const done = runWithRequestContext(context, () => this.run(record, requests, this.stopping.signal)).finally(() => this.running.delete(record.id));
    this.running.set(record.id, done);
    return snapshot;
  }

  async beforeApplicationShutdown(): Promise<void> {
    this.stopping.abort(new Error('shutting down'));
    await Promise.allSettled(this.running.values());
  }

  private async run(record: OperationRecord, requests: readonly NewOrder[], signal: AbortSignal): Promise<void> {
    let writes = Promise.resolve();
    const settle = (index: number, item: OperationItemRecord) => {
      record.items[index] = item;
      record.updatedAt = new Date().toISOString();
      items.inc({ result: item.status });
      const copy = structuredClone(record);
      writes = writes.then(() => this.operations.put(copy)).catch((error: unknown) => this.logger.warn({ err: error, operation: record.id }, 'could not save operation progress'));
    };
    let next = 0;
    const worker = async () => {
      for (let index = next++; index < requests.length; index = next++) {
        if (signal.aborted) {
          settle(index, { status: 'failed', problem: itemProblem(problem('draining', { detail: 'The service shut down before this order was placed: it was not placed.' })) });
          continue;
        }
        try {
          const order = await this.orders.create(requests[index] as NewOrder, `${record.id}.${index}`);
          settle(index, { status: 'succeeded', order });
        } catch (error) {
          settle(index, { status: 'failed', problem: itemProblem(error) });
        }
      }
    };
    await Promise.all(Array.from({ length: Math.min(CONCURRENCY, requests.length) }, worker));
    record.status = record.items.some((i) => i.status === 'failed') ? 'failed' : 'succeeded';
    record.updatedAt = new Date().toISOString();
    const final = structuredClone(record);
    writes = writes.then(() => this.operations.put(final));
    await writes.catch((error: unknown) => this.logger.error({ err: error, operation: record.id }, 'could not save the outcome of an operation'));
  }
}
