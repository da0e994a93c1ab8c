import type { NodeId, PeerId, RoomId } from '@sg/schema';
import type { NodeMessage } from '@sg/room';
import type Redis from 'ioredis';
import { connectTestRedis } from '../testing/connect-test-redis';
import { RedisPeerBus } from './redis-peer-bus';

describe(RedisPeerBus.name, () => {
  const connections: Redis[] = [];

  async function bus(): Promise<RedisPeerBus> {
    const publisher = await connectTestRedis(3);
    const subscriber = await connectTestRedis(3);
    connections.push(publisher, subscriber);
    return new RedisPeerBus(publisher, subscriber);
  }

  afterAll(() => Promise.all(connections.map((connection) => connection.quit())));

  it('delivers a message only to the addressed node, intact and in order', async () => {
    const [sender, nodeA, nodeB] = await Promise.all([bus(), bus(), bus()]);
    const receivedA: NodeMessage[] = [];
    const receivedB: NodeMessage[] = [];
    await nodeA.subscribe('bus-node-a' as NodeId, (message) => receivedA.push(message));
    await nodeB.subscribe('bus-node-b' as NodeId, (message) => receivedB.push(message));
    const messages: NodeMessage[] = Array.from({ length: 20 }, (_, i) => ({
      room: 'r' as RoomId,
      to: ['p1' as PeerId],
      frame: JSON.stringify({ type: 'candidate', candidate: `c${i}\u001e,é` }),
      type: 'candidate',
      from: 'p2' as PeerId,
      sentAt: i,
    }));
    for (const message of messages) await sender.publish('bus-node-a' as NodeId, message);
    for (let i = 0; i < 100 && receivedA.length < messages.length; i++) await new Promise((r) => setTimeout(r, 10));
    expect(receivedA).toEqual(messages);
    expect(receivedB).toEqual([]);
  });
});
