import { Inject, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { ClientProxy } from '@nestjs/microservices';
import { DrainState } from '@sg/platform';
import { NODE_LIFECYCLE_EVENTS, NodeLifecycleEvent, NodeLifecycleEventName } from '@sg/schema';
import { lastValueFrom, timeout } from 'rxjs';
import { GatewayConfig } from '../config/gateway-config';

/** DI token of the gateway's Nest Redis transport client. */
export const APPS_CLIENT = Symbol('APPS_CLIENT');

/** A notification waits this long for Redis; the registry heartbeat tells the same a moment later anyway. */
const NOTIFY_TIMEOUT_MS = 1_000;

/**
 * Tells the other apps, over the Nest Redis transport, when this node starts, drains,
 * is undrained and stops (PROTOCOL section 3: admin-search shows it at once in
 * `GET /api/nodes`). Best effort: a notification lost while Redis is away is repaired by
 * the node's next registry heartbeat.
 */
@Injectable()
export class NodeLifecycleNotifier implements OnApplicationBootstrap {
  private readonly logger = new Logger(NodeLifecycleNotifier.name);

  constructor(
    private readonly config: GatewayConfig,
    private readonly drain: DrainState,
    @Inject(APPS_CLIENT) private readonly client: ClientProxy,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.notify(NODE_LIFECYCLE_EVENTS.started);
  }

  draining(): Promise<void> {
    return this.notify(NODE_LIFECYCLE_EVENTS.draining);
  }

  undrained(): Promise<void> {
    return this.notify(NODE_LIFECYCLE_EVENTS.undrained);
  }

  stopped(): Promise<void> {
    return this.notify(NODE_LIFECYCLE_EVENTS.stopped);
  }

  private async notify(event: NodeLifecycleEventName): Promise<void> {
    const payload: NodeLifecycleEvent = { node_id: this.config.nodeId, draining: this.drain.isDraining, at: Date.now() / 1000 };
    try {
      await lastValueFrom(this.client.emit(event, payload).pipe(timeout(NOTIFY_TIMEOUT_MS)), { defaultValue: undefined });
    } catch (error) {
      this.logger.warn(`could not send ${event}: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
}
