import type { NodeId, PeerId, RoomId, SessionEvent } from '@sg/schema';
import type { NodeMessage, RoomMember } from '@sg/room';
import { PeerKey } from '@sg/session';
import { startRedisCluster, ThrowawayRedisCluster } from '@sg/testing';
import { Cluster } from 'ioredis';
import { RedisPeerBus } from './bus/redis-peer-bus';
import { RedisRoomDirectory } from './directory/redis-room-directory';
import { RedisStreamSessionEventSink } from './events/redis-stream-session-event-sink';
import { SESSION_EVENT_SHARDS, sessionEventShardOf } from './events/session-event-shards';
import { RedisPeerRecordStore } from './indexing/redis-peer-record-store';
import { RedisSessionDeadlines } from './indexing/redis-session-deadlines';
import { RedisShardLeases } from './indexing/redis-shard-leases';
import { RedisStreamSessionEventSource } from './indexing/redis-stream-session-event-source';
import { RedisNodeRegistry } from './nodes/redis-node-registry';
import { RedisOperatorActionLog } from './operator/redis-operator-action-log';
import { RedisRateLimitStore } from './rate-limit/redis-rate-limit-store';
import { REDIS_KEYS } from './redis-keys';
import { RedisResumeDirectory } from './resume/redis-resume-directory';

const nodeA = 'cl-node-a' as NodeId;
const nodeB = 'cl-node-b' as NodeId;

function member(peerId: string, node: NodeId = nodeA): RoomMember {
  return { peerId: peerId as PeerId, node, user: null, joinedAt: 1_700_000_000_000 };
}

/**
 * Every adapter of this lib once more, on a real 3-master Redis Cluster: no script, transaction
 * or pipeline may touch keys of two slots (Redis refuses those with CROSSSLOT, or with "a non
 * local key" inside a script), and rooms, nodes and shards must spread over the masters.
 * The behaviours themselves are the other int-specs' (one Redis).
 */
describe('the cluster adapters on a Redis Cluster', () => {
  let cluster: ThrowawayRedisCluster;
  const clients: Cluster[] = [];

  function connect(options: { sharded?: boolean } = {}): Cluster {
    const client = new Cluster(
      cluster.nodes.map((node) => ({ host: '127.0.0.1', port: node.port })),
      { shardedSubscribers: options.sharded === true },
    );
    clients.push(client);
    return client;
  }

  beforeAll(async () => {
    cluster = await startRedisCluster();
  }, 60_000);

  afterAll(async () => {
    for (const client of clients) client.disconnect();
    await cluster?.stop();
  });

  it('spreads rooms, nodes and session event shards over every master', async () => {
    const masters = async (keys: string[]) => new Set(await Promise.all(keys.map((key) => cluster.masterOf(key))));
    expect((await masters(Array.from({ length: 30 }, (_, i) => REDIS_KEYS.room(`room-${i}`)))).size).toBe(3);
    expect((await masters(Array.from({ length: SESSION_EVENT_SHARDS }, (_, shard) => REDIS_KEYS.sessionEvents(shard)))).size).toBe(3);
    // a room's keys share one slot, as do a node's and a shard's
    expect(await masters([REDIS_KEYS.room('r'), REDIS_KEYS.roomHeld('r'), REDIS_KEYS.resumeToken('r', 'h'), REDIS_KEYS.resumeBuffer('r', 'p')])).toHaveProperty('size', 1);
    expect(await masters([REDIS_KEYS.nodeAlive('n'), REDIS_KEYS.nodePeers('n'), REDIS_KEYS.nodeRegistered('n'), REDIS_KEYS.nodeChannel('n')])).toHaveProperty('size', 1);
    expect(await masters([REDIS_KEYS.sessionEvents(3), REDIS_KEYS.indexerShardLease(3), REDIS_KEYS.sessionDeadlines(3), REDIS_KEYS.indexerPeer(3, 'r/p')])).toHaveProperty('size', 1);
  });

  it('holds capacity exactly under 60 concurrent joins from three connections, and leaves', async () => {
    const directories = [connect(), connect(), connect()].map((client) => new RedisRoomDirectory(client));
    const room = 'cl-capacity' as RoomId;
    const nodes = ['cl-cap-a', 'cl-cap-b'] as NodeId[];
    const results = await Promise.all(Array.from({ length: 60 }, (_, i) => directories[i % 3].join(room, member(`p${i}`, nodes[i % 2]), 10, `hash-${i}`)));
    const admitted = results.map((result, i) => (result.admitted ? i : -1)).filter((i) => i >= 0);
    expect(admitted).toHaveLength(10);
    expect(await directories[0].members(room)).toHaveLength(10);
    const first = admitted[0];
    const left = await directories[1].leave(room, `p${first}` as PeerId, nodes[first % 2], `hash-${first}`);
    expect(left.removed && left.remaining).toHaveLength(9);
  });

  it('resumes, buffers, holds a dead node room by room and ends its holds, with the registry', async () => {
    const redis = connect();
    const rooms = new RedisRoomDirectory(redis);
    const resumes = new RedisResumeDirectory(redis);
    const registry = new RedisNodeRegistry(redis);
    const roomOf = (i: number) => `cl-room-${i}` as RoomId;
    const status = (node: NodeId) => ({ node_id: node, connections: 0, rooms: 0, started_at: 0, last_seen: 0, draining: false });
    expect(await registry.heartbeat(status(nodeA), 300, true)).toBe('alive');
    expect(await registry.heartbeat(status(nodeB), 60_000, true)).toBe('alive');
    for (let i = 0; i < 6; i++) {
      await rooms.join(roomOf(i), member(`a${i}`, nodeA), 10, `hash-a${i}`);
      await rooms.join(roomOf(i), member(`b${i}`, nodeB), 10, `hash-b${i}`);
    }

    // a lost peer, resumed on the other node with what was sent to it meanwhile
    await resumes.hold(roomOf(0), 'b0' as PeerId, 'hash-b0', 'timeout', 10_000);
    expect((await resumes.bufferFor(roomOf(0), 'b0' as PeerId, 'f1', { limit: 5, ttlMs: 10_000, self: nodeA, unreachable: null, keep: true })).kind).toBe('buffered');
    expect(await resumes.findOwner(roomOf(0), 'hash-b0')).toEqual({ room: roomOf(0), peerId: 'b0' });
    const resumed = await resumes.resume(roomOf(0), 'hash-b0', 'hash-b0-2', nodeA);
    expect(resumed.ok && [resumed.previousNode, resumed.frames]).toEqual([nodeB, ['f1']]);
    expect(await redis.sismember(REDIS_KEYS.nodePeers(nodeA), `${roomOf(0)}\x1fb0`)).toBe(1);
    expect(await redis.sismember(REDIS_KEYS.nodePeers(nodeB), `${roomOf(0)}\x1fb0`)).toBe(0);

    // node A stops beating: its members of every room are held, then end with node-lost
    await new Promise((resolve) => setTimeout(resolve, 400));
    expect(await registry.deadNodes()).toEqual([nodeA]);
    expect(await resumes.holdNode(nodeA, 'node-lost', 300, true)).toBe(7);
    expect(await registry.isRegistered(nodeA)).toBe(false);
    expect(await registry.heartbeat(status(nodeA), 300, false)).toBe('reaped');
    expect((await rooms.listRooms()).filter((entry) => entry.room.startsWith('cl-room-'))).toHaveLength(6);
    await new Promise((resolve) => setTimeout(resolve, 350));
    const ended = await resumes.endExpiredHolds(100);
    expect(ended.map((hold) => `${hold.peerId}:${hold.reason}`).sort()).toEqual(['a0', 'a1', 'a2', 'a3', 'a4', 'a5', 'b0'].map((peer) => `${peer}:node-lost`));
    // each is announced to whoever remained in its room right after it (both of room 0 went)
    expect(ended.filter((hold) => hold.room === roomOf(0)).map((hold) => hold.remaining.length).sort()).toEqual([0, 1]);
    expect(ended.filter((hold) => hold.room !== roomOf(0)).every((hold) => hold.remaining.length === 1)).toBe(true);
    expect(await resumes.endExpiredHolds(100)).toEqual([]);
    // only b0's first hold (ended by its resume) is still indexed, until it comes due and is dropped
    expect((await redis.zrange(REDIS_KEYS.heldPeers, 0, -1)).map((entry) => entry.split('\x1f').slice(0, 2).join('/'))).toEqual([`${roomOf(0)}/b0`]);
    expect((await registry.liveNodes()).map((node) => node.node_id)).toEqual([nodeB]);
  });

  it('delivers node messages on sharded channels and reports a node without subscriber', async () => {
    const failures: unknown[] = [];
    const hooks = { publishFailed: (_: NodeId, error: unknown) => failures.push(error), malformed: () => undefined };
    const sender = new RedisPeerBus(connect(), connect({ sharded: true }), hooks);
    const receiver = new RedisPeerBus(connect(), connect({ sharded: true }), hooks);
    const received: NodeMessage[] = [];
    const undelivered: NodeId[] = [];
    sender.onUndelivered((node) => undelivered.push(node));
    await receiver.subscribe(nodeB, (message) => received.push(message));
    const message: NodeMessage = { room: 'r' as RoomId, to: ['p' as PeerId], frame: '{"type":"offer"}', type: 'offer', from: 'q' as PeerId, sentAt: 1 };
    sender.publish(nodeB, message);
    sender.publish('cl-nobody' as NodeId, message);
    for (let i = 0; i < 100 && (received.length === 0 || undelivered.length === 0); i++) await new Promise((r) => setTimeout(r, 20));
    expect(received).toEqual([message]);
    expect(undelivered).toEqual(['cl-nobody']);
    expect(failures).toEqual([]);
  });

  it('counts rate limits of several keys in one batch', async () => {
    const store = new RedisRateLimitStore(connect());
    const counts = await store.add([
      { key: 'ip:10.0.0.1', window: 5, delta: 2 },
      { key: 'room:cl', window: 5, delta: 1 },
      { key: 'conn:10.0.0.1', window: 5, delta: 0 },
    ]);
    expect(counts).toEqual([
      { current: 2, previous: 0 },
      { current: 1, previous: 0 },
      { current: 0, previous: 0 },
    ]);
  });

  it('writes session events to every shard and reads them back through leases, with deadlines and peer records', async () => {
    const redis = connect();
    const sink = new RedisStreamSessionEventSink(redis, { flushIntervalMs: 5, maxBatch: 100, maxBuffered: 10_000, streamMaxLen: 1_000 }, { written: () => undefined, failed: () => undefined, dropped: () => undefined, pending: () => undefined });
    const rooms = Array.from({ length: 40 }, (_, i) => `cl-events-${i}`);
    for (const room of rooms) sink.record({ kind: 'peer-left', t: 1, room: room as RoomId, node: nodeA, peer: 'p' as PeerId, reason: 'bye' } as SessionEvent);
    await sink.close();
    expect(sink.pendingEvents).toBe(0);

    const leases = new RedisShardLeases(redis, 'cl-indexer', { ttlMs: 5_000 });
    const source = new RedisStreamSessionEventSource(redis, leases, { consumer: 'cl-indexer', leaseRenewMs: 1_000, deadLetterMaxLen: 100 });
    const read: string[] = [];
    for (let attempt = 0; attempt < 20 && read.length < rooms.length; attempt++) {
      const entries = await source.read(100, 50);
      for (const entry of entries) read.push(...(JSON.parse(entry.payload ?? '[]') as SessionEvent[]).map((event) => event.room));
      await source.ack(entries);
    }
    expect(read.sort()).toEqual([...rooms].sort());
    expect(source.ownedShards()).toHaveLength(SESSION_EVENT_SHARDS);
    expect(await source.backlogEntries()).toBe(0);
    await source.deadLetter({ shard: 1, id: '1-1', payload: 'x' }, null, 'x', 'bad');
    await source.close();

    const deadlines = new RedisSessionDeadlines(redis);
    await deadlines.schedule(2, new Map([['s2' as never, 1_000]]));
    await deadlines.schedule(9, new Map([['s9' as never, 500]]));
    expect(await deadlines.earliest([2, 9])).toBe(500);
    expect((await deadlines.due([2, 9], 2_000, 10)).map((due) => due.sessionId).sort()).toEqual(['s2', 's9']);

    const records = new RedisPeerRecordStore(redis, { ttlSeconds: 60, leftTtlSeconds: 60 });
    const keys = rooms.slice(0, 10).map((room) => `${room}/p` as PeerKey);
    await records.save(new Map(keys.map((key) => [key, { left: false } as never])));
    expect((await records.load(keys)).size).toBe(10);
  });

  it('appends operator actions', async () => {
    const log = new RedisOperatorActionLog(connect());
    await log.append({ t: 1, action: 'kick', target: 'r/p', node_id: nodeA, result: 'ok', remote_addr: '127.0.0.1' });
    expect((await log.newest(1)).map((record) => record.action)).toEqual(['kick']);
  });

  // last: it stops a replica
  it("counts a session events batch as written once a replica has it, and writes alone to a master left without replica", async () => {
    const redis = connect();
    const written: number[] = [];
    const failures: unknown[] = [];
    const sink = new RedisStreamSessionEventSink(
      redis,
      { flushIntervalMs: 5, maxBatch: 100, maxBuffered: 10_000, streamMaxLen: 1_000, replicaAckTimeoutMs: 500 },
      { written: (events) => written.push(events), failed: (error) => failures.push(error), dropped: () => undefined, pending: () => undefined },
    );
    const event = (room: string) => ({ kind: 'peer-left', t: 1, room: room as RoomId, node: nodeA, peer: 'p' as PeerId, reason: 'bye' }) as SessionEvent;
    sink.record(event('cl-acked'));
    await sink.flush();
    expect([written, failures]).toEqual([[1], []]);

    const stream = REDIS_KEYS.sessionEvents(sessionEventShardOf('cl-alone'));
    const master = await cluster.masterOf(stream);
    const replica = (await cluster.roles()).find((role) => role.masterPort === master);
    await cluster.kill(replica?.port ?? 0);
    // the master notices its replica gone (the link closes at once on loopback)
    for (let i = 0; i < 50 && Number(await redis.eval("return tonumber(string.match(redis.call('INFO', 'replication'), 'connected_slaves:(%d+)'))", 1, stream)) > 0; i++) {
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    sink.record(event('cl-alone'));
    await sink.close();
    expect(sink.pendingEvents).toBe(0);
    expect(await redis.xlen(stream)).toBeGreaterThan(0);
  }, 20_000);
});
