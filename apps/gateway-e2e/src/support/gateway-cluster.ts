import { AppProcess, startApp, uniqueName } from '@sg/testing';

export interface GatewayCluster {
  readonly nodes: AppProcess[];
  readonly nodeIds: string[];
  wsUrl(node: number, query: string): string;
  stop(): Promise<void>;
}

/** Starts `count` gateway processes on one Redis, as `PORT=.. NODE_ID=.. REDIS_URL=.. node dist/apps/gateway/main.js`. */
export async function startGatewayCluster(count: number, env: Record<string, string> = {}): Promise<GatewayCluster> {
  const redisUrl = process.env['TEST_REDIS_URL'];
  if (!redisUrl) throw new Error('TEST_REDIS_URL is not set: the Jest global setup starts redis-server');
  const nodeIds = Array.from({ length: count }, (_, i) => uniqueName(`node${i + 1}`));
  const nodes = await Promise.all(nodeIds.map((nodeId) => startApp('gateway', { NODE_ID: nodeId, REDIS_URL: redisUrl, ...env })));
  return {
    nodes,
    nodeIds,
    wsUrl: (node, query) => `ws://127.0.0.1:${nodes[node].port}/ws?${query}`,
    stop: async () => {
      await Promise.all(nodes.map((node) => node.stop('SIGTERM')));
    },
  };
}
