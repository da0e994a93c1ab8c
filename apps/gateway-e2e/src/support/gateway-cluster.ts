import { AppProcess, startApp, testRedisEnv, uniqueName } from '@sg/testing';

export interface GatewayCluster {
  readonly nodes: AppProcess[];
  readonly nodeIds: string[];
  wsUrl(node: number, query: string): string;
  stop(): Promise<void>;
}

/**
 * Starts `count` gateway processes on the run's Redis, as `PORT=.. NODE_ID=.. REDIS_URL=.. node dist/apps/gateway/main.js`
 * (`REDIS_CLUSTER_NODES=..` when the suite runs on the Redis Cluster, `E2E_REDIS=cluster`); `env` may name another Redis.
 */
export async function startGatewayCluster(count: number, env: Record<string, string> = {}): Promise<GatewayCluster> {
  const redis = env['REDIS_URL'] || env['REDIS_CLUSTER_NODES'] ? {} : testRedisEnv();
  const nodeIds = Array.from({ length: count }, (_, i) => uniqueName(`node${i + 1}`));
  const nodes = await Promise.all(nodeIds.map((nodeId) => startApp('gateway', { NODE_ID: nodeId, ...redis, ...env })));
  return {
    nodes,
    nodeIds,
    wsUrl: (node, query) => `ws://127.0.0.1:${nodes[node].port}/ws?${query}`,
    stop: async () => {
      await Promise.all(nodes.map((node) => node.stop('SIGTERM')));
    },
  };
}
