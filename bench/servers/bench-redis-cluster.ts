import Redis from 'ioredis';
import { startRedisCluster } from '../../libs/testing/src/redis-cluster';
import { pinProcess } from '../util/pinning';

/**
 * Redis Cluster's own default: a master stays a master for 15 s without answering. The
 * test suites' 2 s makes failover tests quick, but on a busy 2-core machine a bench's
 * pauses could then pass for a dead master and measure a failover instead of the relay.
 */
const NODE_TIMEOUT_MS = 15_000;

/** A throwaway Redis Cluster for the bench, its processes known for CPU readings and pinning. */
export interface BenchRedisCluster {
  /** The value of REDIS_CLUSTER_NODES. */
  readonly seeds: string;
  /** Every node's redis-server pid, masters and replicas: replication is part of the cost. */
  readonly pids: readonly number[];
  /** Nodes that are no longer running, for error messages. */
  dead(): string[];
  stop(): Promise<void>;
}

/** The pid a node reports for itself (INFO server): the cluster helper does not expose its children's. */
async function nodePid(port: number): Promise<number> {
  const redis = new Redis({ host: '127.0.0.1', port, lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
  redis.on('error', () => undefined);
  try {
    await redis.connect();
    const match = /^process_id:(\d+)/m.exec(await redis.info('server'));
    if (!match) throw new Error(`redis-server on ${port} reports no process_id`);
    return Number(match[1]);
  } finally {
    redis.disconnect();
  }
}

/**
 * Starts a 3-master, 3-replica cluster on loopback (libs/testing's startRedisCluster) and
 * pins its six processes to `core`, where the single Redis of the other servers runs too,
 * so that the two set-ups differ only in the Redis they talk to.
 */
export async function startBenchRedisCluster(core: number): Promise<BenchRedisCluster> {
  const cluster = await startRedisCluster({ nodeTimeoutMs: NODE_TIMEOUT_MS });
  try {
    const pids = await Promise.all(cluster.nodes.map((node) => nodePid(node.port)));
    for (const pid of pids) pinProcess(pid, core);
    return {
      seeds: cluster.seeds,
      pids,
      dead: () => cluster.nodes.filter((node) => !node.running).map((node) => `redis-server ${node.address} (cluster node) is not running`),
      stop: () => cluster.stop(),
    };
  } catch (error) {
    await cluster.stop();
    throw error;
  }
}
