import { Inject, Injectable } from '@nestjs/common';
import { HealthIndicatorService } from '@nestjs/terminus';
import { isRedisCluster, RedisConnection } from '@sg/cluster';
import type { Cluster } from 'ioredis';
import { answerWithin } from '../async/settle-within';
import { REDIS_COMMANDS } from '../redis/redis-tokens';

const PING_TIMEOUT_MS = 1_000;

/** Slots of a Redis Cluster: all of them must be served for every room to work. */
const CLUSTER_SLOTS = 16_384;

/** What readiness says of a Redis Cluster. */
export interface RedisClusterHealth {
  readonly cluster_state: string;
  readonly slots_ok: number;
  readonly masters: number;
}

/**
 * Redis answers PING within a second. On a Redis Cluster: every master the client knows
 * answers PING within a second, and the cluster itself reports `cluster_state:ok` with all
 * 16384 slots served (`CLUSTER INFO`); the details name the state, the slots covered and
 * the masters, so a 503 says which (e.g. during a failover, until the replica is promoted).
 */
@Injectable()
export class RedisHealthIndicator {
  constructor(
    private readonly indicators: HealthIndicatorService,
    @Inject(REDIS_COMMANDS) private readonly redis: RedisConnection,
  ) {}

  async isHealthy(key = 'redis') {
    const indicator = this.indicators.check(key);
    try {
      if (!isRedisCluster(this.redis)) {
        await answerWithin(this.redis.ping(), PING_TIMEOUT_MS);
        return indicator.up();
      }
      const health = await answerWithin(clusterHealth(this.redis), PING_TIMEOUT_MS);
      if (health.cluster_state !== 'ok' || health.slots_ok !== CLUSTER_SLOTS) {
        return indicator.down({ message: `cluster_state:${health.cluster_state}, ${health.slots_ok} of ${CLUSTER_SLOTS} slots served`, ...health });
      }
      return indicator.up({ ...health });
    } catch (error) {
      return indicator.down({ message: error instanceof Error ? error.message : 'unreachable' });
    }
  }
}

/** `CLUSTER INFO` of one master (the cluster's own view: state, slots served, masters), after every master the client routes to answered PING. */
async function clusterHealth(cluster: Cluster): Promise<RedisClusterHealth> {
  if (cluster.status !== 'ready') throw new Error(`Redis Cluster client ${cluster.status}`);
  const masters = cluster.nodes('master');
  if (masters.length === 0) throw new Error('no master of the Redis Cluster is known');
  await Promise.all(
    masters.map((master) =>
      master.ping().catch((error: unknown) => {
        // a master gone (failed over): learn the new slot map now rather than at the next periodic refresh
        cluster.refreshSlotsCache();
        throw new Error(`master ${master.options.host}:${master.options.port}: ${error instanceof Error ? error.message : String(error)}`);
      }),
    ),
  );
  const info = String(await masters[0].cluster('INFO'));
  const field = (name: string) => /^(\S+?):(.*)$/m.exec(info.split(/\r?\n/).find((line) => line.startsWith(`${name}:`)) ?? '')?.[2]?.trim() ?? '';
  const size = Number(field('cluster_size')) || 0;
  // a replica promoted since the client's last slot map: learn it now, the cluster itself is fine
  if (size > masters.length) cluster.refreshSlotsCache();
  return { cluster_state: field('cluster_state') || 'unknown', slots_ok: Number(field('cluster_slots_ok')) || 0, masters: size };
}
