import { Injectable } from '@nestjs/common';
import type { NodeStatus } from '@sg/room';
import { NODE_LIFECYCLE_EVENTS, NodeLifecycleEvent, NodeLifecycleEventName } from '@sg/schema';

interface LastLifecycleEvent {
  readonly event: NodeLifecycleEventName;
  readonly draining: boolean;
  readonly at: number;
}

/**
 * The gateway nodes' lifecycle notifications as this admin-search instance heard them.
 * The registry heartbeat says the same within a second or a TTL; these make
 * `GET /api/nodes` right at once: a stopped node is gone, a drained one shows `draining`.
 */
@Injectable()
export class NodeLifecycleView {
  private readonly last = new Map<string, LastLifecycleEvent>();

  heard(event: NodeLifecycleEventName, payload: NodeLifecycleEvent): void {
    const previous = this.last.get(payload.node_id);
    if (previous && previous.at > payload.at) return;
    this.last.set(payload.node_id, { event, draining: payload.draining, at: payload.at });
  }

  /** Whether the node said it stopped and has not started again since. */
  stopped(node: string): boolean {
    return this.last.get(node)?.event === NODE_LIFECYCLE_EVENTS.stopped;
  }

  /** The registry's view, corrected by anything the nodes said after their last heartbeat. */
  apply(nodes: NodeStatus[]): NodeStatus[] {
    return nodes
      .filter((node) => {
        const last = this.last.get(node.node_id);
        return !(last?.event === NODE_LIFECYCLE_EVENTS.stopped && last.at >= node.started_at);
      })
      .map((node) => {
        const last = this.last.get(node.node_id);
        return last && last.at > node.last_seen ? { ...node, draining: last.draining } : node;
      });
  }
}
