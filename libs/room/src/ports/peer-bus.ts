import type { NodeId } from '@sg/schema';
import type { NodeMessage } from './node-message';

/** Delivery between gateway nodes: one address per node (see docs/architecture.md). */
export abstract class PeerBus {
  /** Sends to one node; resolves when the transport accepted it. */
  abstract publish(node: NodeId, message: NodeMessage): Promise<void>;
  /** Starts delivering messages addressed to `node` to the handler. */
  abstract subscribe(node: NodeId, handler: (message: NodeMessage) => void): Promise<void>;
}
