import { Injectable } from '@nestjs/common';

/**
 * Whether this process is draining: readiness turns 503 at once. SIGTERM drains for
 * good; an operator's drain (gateway, PROTOCOL section 3) can be undone.
 */
@Injectable()
export class DrainState {
  private draining = false;

  get isDraining(): boolean {
    return this.draining;
  }

  startDraining(): void {
    this.draining = true;
  }

  stopDraining(): void {
    this.draining = false;
  }
}
