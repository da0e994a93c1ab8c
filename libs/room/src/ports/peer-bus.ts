import type { NodeId } from '@sg/schema';
import type { NodeMessage } from './node-message';

/** Delivery between gateway nodes: one address per node (see docs/architecture.md). */
export abstract class PeerBus {
  /** Sends to one node, in order with earlier messages to it; failures go to the adapter's error hook. */
  abstract publish(node: NodeId, message: NodeMessage): void;
  /** Starts delivering messages addressed to `node` to the handler. */
  abstract subscribe(node: NodeId, handler: (message: NodeMessage) => void): Promise<void>;
  /**
   * Called with messages that reached no subscriber (their node is dead or gone), so
   * their frames can be handed over instead of lost. Adapters that cannot tell never call it.
   */
  onUndelivered(handler: (node: NodeId, message: NodeMessage) => void): void {
    void handler;
  }
}
