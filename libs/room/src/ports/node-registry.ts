import type { NodeId } from '@sg/schema';
import type { NodeStatus } from '../nodes/node-status';

/**
 * Liveness of gateway nodes: each node heartbeats with a TTL; survivors find
 * nodes whose TTL ran out and reap their members through the RoomDirectory.
 */
export abstract class NodeRegistry {
  /** Refreshes this node's TTL and status; 'reaped' if others already declared it dead. */
  abstract heartbeat(status: NodeStatus, ttlMs: number, firstBeat: boolean): Promise<'alive' | 'reaped'>;
  /** Registered nodes whose TTL ran out. */
  abstract deadNodes(): Promise<NodeId[]>;
  /** Live nodes and their last reported status. */
  abstract liveNodes(): Promise<NodeStatus[]>;
}
