import type { NodeId, PeerId, RoomId } from '@sg/schema';
import type { NodeMessage } from '@sg/room';
import Redis from 'ioredis';
import { connectTestRedis } from '../testing/connect-test-redis';
import { RedisPeerBus } from './redis-peer-bus';

describe(RedisPeerBus.name, () => {
  const connections: Redis[] = [];
  const failures: unknown[] = [];
  const malformed: string[] = [];

  async function bus(): Promise<RedisPeerBus> {
    const publisher = await connectTestRedis(3);
    const subscriber = await connectTestRedis(3);
    connections.push(publisher, subscriber);
    return new RedisPeerBus(publisher, subscriber, { publishFailed: (node, error) => failures.push(error), malformed: (payload) => malformed.push(payload) });
  }

  afterAll(() => Promise.all(connections.map((connection) => connection.quit().catch(() => undefined))));

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
    // published within one turn: they travel coalesced and must come out split, in order
    for (const message of messages) sender.publish('bus-node-a' as NodeId, message);
    for (let i = 0; i < 100 && receivedA.length < messages.length; i++) await new Promise((r) => setTimeout(r, 10));
    expect(receivedA).toEqual(messages);
    expect(receivedB).toEqual([]);
    expect(failures).toEqual([]);
    expect(malformed).toEqual([]);
  });

  it('keeps messages published in separate turns in order', async () => {
    const [sender, node] = await Promise.all([bus(), bus()]);
    const received: NodeMessage[] = [];
    await node.subscribe('bus-node-c' as NodeId, (message) => received.push(message));
    const message = (i: number): NodeMessage => ({ room: 'r' as RoomId, to: ['p' as PeerId], frame: `{"n":${i}}`, type: 'offer', sentAt: i });
    for (let i = 0; i < 10; i++) {
      sender.publish('bus-node-c' as NodeId, message(i));
      if (i % 3 === 0) await new Promise((resolve) => setImmediate(resolve));
    }
    for (let i = 0; i < 100 && received.length < 10; i++) await new Promise((r) => setTimeout(r, 10));
    expect(received.map((m) => m.frame)).toEqual(Array.from({ length: 10 }, (_, i) => `{"n":${i}}`));
  });

  it('hands back the messages of a publish that reached no subscriber', async () => {
    const sender = await bus();
    const undelivered: Array<[NodeId, NodeMessage]> = [];
    sender.onUndelivered((node, message) => undelivered.push([node, message]));
    const message: NodeMessage = { room: 'r' as RoomId, to: ['p' as PeerId], frame: '{"type":"offer"}', type: 'offer', sentAt: 1 };
    sender.publish('bus-node-nobody' as NodeId, message);
    for (let i = 0; i < 100 && undelivered.length === 0; i++) await new Promise((r) => setTimeout(r, 10));
    expect(undelivered).toEqual([['bus-node-nobody', message]]);
  });

  /** A publisher whose connection is down until the test calls connect(): publishes fail at once meanwhile. */
  async function disconnectedPublisher(): Promise<Redis> {
    const publisher = new Redis(`${process.env['TEST_REDIS_URL']}/3`, { maxRetriesPerRequest: 0, enableOfflineQueue: false });
    await new Promise((resolve) => publisher.once('ready', resolve));
    const ended = new Promise((resolve) => publisher.once('end', resolve));
    publisher.disconnect();
    await ended;
    connections.push(publisher);
    return publisher;
  }

  it('reports publishes that kept failing for the whole retry window to its hook', async () => {
    const subscriber = await connectTestRedis(3);
    connections.push(subscriber);
    const failed: string[] = [];
    const broken = new RedisPeerBus(await disconnectedPublisher(), subscriber, { publishFailed: (node) => failed.push(node), malformed: () => undefined }, 300);
    const started = Date.now();
    broken.publish('bus-node-d' as NodeId, { room: 'r' as RoomId, to: [], frame: '{}', type: 'offer', sentAt: 0 });
    for (let i = 0; i < 100 && failed.length === 0; i++) await new Promise((r) => setTimeout(r, 10));
    expect(failed).toEqual(['bus-node-d']);
    expect(Date.now() - started).toBeGreaterThanOrEqual(300);
  });

  it('delivers, late and in order, what it published while its Redis was away (a failover), if back within the window', async () => {
    const [receiver] = await Promise.all([bus()]);
    const received: NodeMessage[] = [];
    await receiver.subscribe('bus-node-e' as NodeId, (message) => received.push(message));
    const subscriber = await connectTestRedis(3);
    connections.push(subscriber);
    const publisher = await disconnectedPublisher();
    const failed: string[] = [];
    const sender = new RedisPeerBus(publisher, subscriber, { publishFailed: (node) => failed.push(node), malformed: () => undefined }, 5_000);
    const messages: NodeMessage[] = Array.from({ length: 6 }, (_, i) => ({ room: 'r' as RoomId, to: ['p' as PeerId], frame: `{"n":${i}}`, type: 'candidate', sentAt: i }));
    sender.publish('bus-node-e' as NodeId, messages[0]);
    sender.publish('bus-node-e' as NodeId, messages[1]);
    await new Promise((r) => setTimeout(r, 50));
    // these wait behind the failed ones
    for (const message of messages.slice(2)) sender.publish('bus-node-e' as NodeId, message);
    await publisher.connect();
    for (let i = 0; i < 200 && received.length < messages.length; i++) await new Promise((r) => setTimeout(r, 10));
    expect(received).toEqual(messages);
    expect(failed).toEqual([]);
  });
});
