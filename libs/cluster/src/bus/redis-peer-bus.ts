import type { NodeId } from '@sg/schema';
import { NodeMessage, PeerBus } from '@sg/room';
import type Redis from 'ioredis';
import { REDIS_KEYS } from '../redis-keys';
import { decodeNodeMessage, encodeNodeMessage } from './node-message-codec';

/**
 * Per-node addressing over Redis pub/sub: each node subscribes once to its own
 * channel at start, so joins cost no SUBSCRIBE round trip (docs/architecture.md).
 * Pub/sub is fire-and-forget, which suits signaling: a node that is down has no
 * sockets to deliver to; durable data goes through the session events stream.
 */
export class RedisPeerBus extends PeerBus {
  constructor(
    private readonly publisher: Redis,
    private readonly subscriber: Redis,
    private readonly onMalformed: (payload: string) => void = () => undefined,
  ) {
    super();
  }

  async publish(node: NodeId, message: NodeMessage): Promise<void> {
    await this.publisher.publish(REDIS_KEYS.nodeChannel(node), encodeNodeMessage(message));
  }

  async subscribe(node: NodeId, handler: (message: NodeMessage) => void): Promise<void> {
    const channel = REDIS_KEYS.nodeChannel(node);
    this.subscriber.on('message', (from: string, payload: string) => {
      if (from !== channel) return;
      const message = decodeNodeMessage(payload);
      if (message) handler(message);
      else this.onMalformed(payload);
    });
    await this.subscriber.subscribe(channel);
  }
}
