import { Module } from '@nestjs/common';
import { duration, int, loadConfig } from '@edge/config';
import { IdempotencyStore } from './idempotency.store';
import { OrdersController } from './orders.controller';
import { OrdersService } from './orders.service';

@Module({
  controllers: [OrdersController],
  providers: [
    OrdersService,
    {
      provide: IdempotencyStore,
      useFactory: () => {
        const settings = loadConfig({
          IDEMPOTENCY_TTL: duration({ default: 24 * 3_600_000, min: 1000 }),
          IDEMPOTENCY_MAX_KEYS: int({ default: 100_000, min: 1 }),
        });
        return new IdempotencyStore({ ttlMs: settings.IDEMPOTENCY_TTL, maxEntries: settings.IDEMPOTENCY_MAX_KEYS });
      },
    },
  ],
})
export class OrdersModule {}
