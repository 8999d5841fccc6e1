import { Injectable, Logger } from '@nestjs/common';
import type { FaultSettings } from './fault-settings';

/** The faults currently injected by this process (none by default). */
@Injectable()
export class FaultState {
  private readonly logger = new Logger('Faults');
  private settings: FaultSettings | undefined;

  get current(): FaultSettings | undefined {
    return this.settings;
  }

  set(settings: FaultSettings): void {
    this.settings = settings;
    this.logger.warn(`fault injection on: ${JSON.stringify(settings)}`);
  }

  clear(): void {
    if (this.settings) this.logger.warn('fault injection off');
    this.settings = undefined;
  }
}
