import { connectRedisOf, SignalingClient, uniqueName } from '@sg/testing';
import { GatewayCluster, startGatewayCluster } from './support/gateway-cluster';
import { E2E_REDIS_KEYS } from './support/redis-keys';
import { SuiteRedis, suiteRedis } from './support/suite-redis';

const ROOM_CAPACITY = 10;
const ATTEMPTS = 100;

/** How a connection attempt ended: admitted (welcome) or the close code it got. */
function outcomeOf(client: SignalingClient): Promise<string> {
  return new Promise((resolve) => {
    client.next('welcome', 15_000).then(
      () => resolve('welcome'),
      () => undefined,
    );
    client.closed.then((event) => resolve(String(event.code)));
  });
}

// PROTOCOL section 1: 4409 "enforced atomically across all nodes"; on a Redis Cluster too (section 4)
describe('room capacity under 100 concurrent joins across three gateways', () => {
  let redis: SuiteRedis;
  let cluster: GatewayCluster;
  const clients: SignalingClient[] = [];

  beforeAll(async () => {
    // hundreds of connections from one address: a Redis of its own keeps them out of other files' rate limits
    redis = await suiteRedis();
    cluster = await startGatewayCluster(3, { ...redis.env, ROOM_CAPACITY: String(ROOM_CAPACITY), RATE_LIMIT_CONN_PER_10S: '10000' });
  });

  afterAll(async () => {
    for (const client of clients) client.close();
    await cluster?.stop();
    await redis?.stop();
  });

  it(`admits exactly ${ROOM_CAPACITY} and refuses the rest with 4409, in every room at once`, async () => {
    const rooms = [uniqueName('crowd'), uniqueName('crowd'), uniqueName('crowd')];
    const attempts = await Promise.all(
      rooms.flatMap((room) => Array.from({ length: ATTEMPTS }, (_, i) => SignalingClient.connect(cluster.wsUrl(i % 3, `room=${room}`)))),
    );
    clients.push(...attempts);
    const outcomes = await Promise.all(attempts.map(outcomeOf));

    rooms.forEach((room, r) => {
      const ofRoom = outcomes.slice(r * ATTEMPTS, (r + 1) * ATTEMPTS);
      expect({ room, welcome: ofRoom.filter((o) => o === 'welcome').length, full: ofRoom.filter((o) => o === '4409').length }).toEqual({
        room,
        welcome: ROOM_CAPACITY,
        full: ATTEMPTS - ROOM_CAPACITY,
      });
    });
    // the directory holds exactly the admitted peers
    const reader = connectRedisOf(redis.env);
    try {
      for (const room of rooms) expect(await reader.hlen(E2E_REDIS_KEYS.room(room))).toBe(ROOM_CAPACITY);
    } finally {
      reader.disconnect();
    }

    // seats come back when peers leave: as many new joins as leavers are admitted, not one more
    const room = rooms[0];
    const admitted = attempts.slice(0, ATTEMPTS).filter((_, i) => outcomes[i] === 'welcome');
    for (const client of admitted.slice(0, 4)) client.send({ type: 'bye' });
    await Promise.all(admitted.slice(0, 4).map((client) => client.closed));
    const again = await Promise.all(Array.from({ length: 12 }, (_, i) => SignalingClient.connect(cluster.wsUrl(i % 3, `room=${room}`))));
    clients.push(...again);
    const second = await Promise.all(again.map(outcomeOf));
    expect(second.filter((o) => o === 'welcome')).toHaveLength(4);
    expect(second.filter((o) => o === '4409')).toHaveLength(8);
  }, 60_000);
});
