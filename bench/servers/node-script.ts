import { resolve } from 'node:path';
import { freePort } from '../../libs/testing/src/free-port';
import { startProcess, waitForPort } from '../util/managed-process';
import { startRedis } from '../util/redis-server';
import { describeDead, RunningServer } from './running-server';
import { LoadTarget } from '../load/load-target';
import { startNodesOnRedis } from './nodes-on-redis';

export const REPO_ROOT = resolve(__dirname, '..', '..');

/** Starts one of the bench's own TypeScript servers (bare relay, PeerJS) as a pinned process. */
export async function startNodeScriptServer(options: {
  readonly name: string;
  readonly description: string;
  readonly script: string;
  readonly core: number;
  readonly target: (port: number) => LoadTarget;
  readonly nodeFlags: readonly string[];
}): Promise<RunningServer> {
  const port = await freePort();
  const proc = startProcess({
    name: `${options.name}-${port}`,
    core: options.core,
    command: process.execPath,
    args: [...options.nodeFlags, '--import', 'tsx', resolve(__dirname, options.script), String(port)],
    cwd: REPO_ROOT,
  });
  try {
    await waitForPort(proc, port);
  } catch (error) {
    await proc.stop(1000);
    throw error;
  }
  return {
    name: options.name,
    description: options.description,
    target: options.target(port),
    serverPids: [proc.pid],
    deadProcesses: () => describeDead([proc]),
    stop: () => proc.stop(),
  };
}

export function startBareRelay(core: number, nodeFlags: readonly string[] = []): Promise<RunningServer> {
  return startNodeScriptServer({
    nodeFlags,
    name: 'bare',
    description: 'bare ws relay (the floor)',
    script: 'bare-ws-relay.ts',
    core,
    target: (port) => ({ protocol: 'bare', urls: [`ws://127.0.0.1:${port}/`] }),
  });
}

/** The bare relay that also sends the gateway's `welcome` and `peer-joined` (bare-announce-relay.ts): the join floor of the protocol. */
export function startBareAnnounceRelay(core: number, nodeFlags: readonly string[] = []): Promise<RunningServer> {
  return startNodeScriptServer({
    nodeFlags,
    name: 'bare-announce',
    description: "bare ws relay sending the gateway's welcome and peer-joined (the protocol's join floor)",
    script: 'bare-announce-relay.ts',
    core,
    target: (port) => ({ protocol: 'gateway', urls: [`ws://127.0.0.1:${port}/`] }),
  });
}

export function startPeerJs(core: number, nodeFlags: readonly string[] = []): Promise<RunningServer> {
  return startNodeScriptServer({
    nodeFlags,
    name: 'peerjs',
    description: 'PeerJS server (npm peer 1.0.2)',
    script: 'peerjs-server.ts',
    core,
    target: (port) => ({ protocol: 'peerjs', urls: [`ws://127.0.0.1:${port}/peerjs`] }),
  });
}

/**
 * Two bare relay nodes on one Redis (bare-two-node-relay.ts): the floor of a relay with one
 * Redis hop per cross-node message, to read gateway-2 against. Redis runs beside the load,
 * as the gateways' does; its CPU is reported apart.
 */
export async function startBareTwoNodes(serverCore: number, redisCore: number, nodeFlags: readonly string[] = []): Promise<RunningServer> {
  const redis = await startRedis(redisCore);
  const started = await startNodesOnRedis({ stop: () => redis.process.stop() }, 2, {
    start: (index, port) => {
      // each node forwards to the other
      const own = `bare-node-${index}`;
      const other = `bare-node-${3 - index}`;
      return startProcess({
        name: `bare-2-${own}-${port}`,
        core: serverCore,
        command: process.execPath,
        args: [...nodeFlags, '--import', 'tsx', resolve(__dirname, 'bare-two-node-relay.ts'), String(port), redis.url, own, other],
        cwd: REPO_ROOT,
      });
    },
    ready: (node, port) => waitForPort(node, port),
    url: (port) => `ws://127.0.0.1:${port}/`,
  });
  return {
    name: 'bare-2',
    description: 'two bare ws relays joined by Redis pub/sub (the floor of a relay with one Redis hop)',
    target: { protocol: 'bare', urls: started.urls },
    serverPids: started.nodes.map((node) => node.pid),
    redisPid: redis.process.pid,
    deadProcesses: () => describeDead([...started.nodes, redis.process]),
    stop: started.stop,
  };
}
