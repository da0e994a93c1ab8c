import { Injectable } from '@nestjs/common';

/** Whether this process is draining (SIGTERM): readiness turns 503 at once. */
@Injectable()
export class DrainState {
  private draining = false;

  get isDraining(): boolean {
    return this.draining;
  }

  startDraining(): void {
    this.draining = true;
  }
}
