import { freePort } from '../../libs/testing/src/free-port';
import { ManagedProcess } from '../util/managed-process';

/** Server nodes started one after the other on a Redis already running, each ready before the next starts. */
export interface NodesOnRedis {
  readonly nodes: readonly ManagedProcess[];
  /** Each node's WebSocket URL, in start order. */
  readonly urls: readonly string[];
  /** Stops every node, then the Redis. */
  stop(): Promise<void>;
}

export interface NodeLauncher {
  /** Starts node `index` (from 1) listening on `port`. */
  start(index: number, port: number): ManagedProcess;
  /** Resolves once the node serves; rejects if it does not. */
  ready(node: ManagedProcess, port: number): Promise<void>;
  url(port: number): string;
  /** How long a node may take to stop before it is killed, if not the process default. */
  readonly stopMs?: number;
}

/**
 * Starts `count` nodes on `redis` (the gateways, the bare two-node relay). If one fails to
 * start, what was started is stopped, the Redis included, and the error is thrown.
 */
export async function startNodesOnRedis(redis: { stop(): Promise<void> }, count: number, launcher: NodeLauncher): Promise<NodesOnRedis> {
  const nodes: ManagedProcess[] = [];
  const urls: string[] = [];
  const stop = async () => {
    await Promise.all(nodes.map((node) => node.stop(launcher.stopMs)));
    await redis.stop();
  };
  try {
    for (let index = 1; index <= count; index++) {
      const port = await freePort();
      const node = launcher.start(index, port);
      nodes.push(node);
      await launcher.ready(node, port);
      urls.push(launcher.url(port));
    }
  } catch (error) {
    await stop();
    throw error;
  }
  return { nodes, urls, stop };
}
