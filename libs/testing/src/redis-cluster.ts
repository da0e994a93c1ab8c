import { ChildProcess, spawn, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Redis from 'ioredis';
import { freePort } from './free-port';
import { waitForPort } from './redis-server';

/** One `redis-server --cluster-enabled yes` process of a throwaway cluster. */
export interface ClusterNodeProcess {
  readonly port: number;
  /** `127.0.0.1:<port>`, as `REDIS_CLUSTER_NODES` lists seeds. */
  readonly address: string;
  /** Whether the process is running (a test may have killed it). */
  readonly running: boolean;
}

/** A node's role as the cluster sees it now. */
export interface ClusterNodeRole {
  readonly port: number;
  readonly role: 'master' | 'replica';
  /** For a replica, the port of its master. */
  readonly masterPort: number | null;
}

export interface ThrowawayRedisCluster {
  readonly nodes: readonly ClusterNodeProcess[];
  /** Every node as a seed list: `127.0.0.1:p1,127.0.0.1:p2,...`, the value of `REDIS_CLUSTER_NODES`. */
  readonly seeds: string;
  /** The password every node requires (`RedisClusterOptions.password`), or undefined when they require none. */
  readonly password: string | undefined;
  /** The node-timeout the nodes run with: how long a dead master stays a master before its replica takes over. */
  readonly nodeTimeoutMs: number;
  /** The temp directory holding every node's directory; `stop()` removes it. */
  readonly directory: string;
  /** Every live node's role, from `CLUSTER NODES` of a live node. */
  roles(): Promise<ClusterNodeRole[]>;
  /** The port of the master serving `key`'s slot now. */
  masterOf(key: string): Promise<number>;
  /** SIGKILLs one node, as a crash would. */
  kill(port: number): Promise<void>;
  /** Waits until every live node reports `cluster_state:ok` and agrees on the masters. */
  waitUntilHealthy(timeoutMs?: number): Promise<void>;
  /** Deletes every key on every master (between test files sharing the cluster). */
  flushAll(): Promise<void>;
  /** Kills every node and removes their directories. */
  stop(): Promise<void>;
}

export interface RedisClusterOptions {
  /** Masters; each gets one replica. Redis Cluster needs at least 3 masters. */
  readonly masters?: number;
  /**
   * `cluster-node-timeout`: a master unreachable for this long is failed over to its
   * replica. Shorter makes failover tests quick, too short makes a loaded machine's
   * pauses look like failures.
   */
  readonly nodeTimeoutMs?: number;
  /**
   * Makes every node require this password (`requirepass`, the default user's), replicas
   * authenticating to their masters with it (`masterauth`). Unset: no password, as before.
   */
  readonly password?: string;
}

/** Slots a Redis Cluster divides keys into. */
const CLUSTER_SLOTS = 16_384;

/**
 * Starts a real Redis Cluster on loopback: `2 * masters` `redis-server --cluster-enabled yes`
 * processes on free ports (client and cluster-bus ports both chosen, so nothing assumes the
 * port + 10000 convention), joined by `redis-cli --cluster create --cluster-replicas 1`, and
 * resolved only once every node reports `cluster_state:ok`, all slots covered, and every
 * replica has synced with its master (so a failover test can kill a master at once). Each node
 * keeps its `nodes.conf` in its own directory of one temp dir, removed by `stop()`. Persistence
 * is off: replication is what a failover keeps.
 */
export async function startRedisCluster(options: RedisClusterOptions = {}): Promise<ThrowawayRedisCluster> {
  const masters = options.masters ?? 3;
  if (masters < 3) throw new Error('a Redis Cluster needs at least 3 masters');
  const nodeTimeoutMs = options.nodeTimeoutMs ?? 2_000;
  const password = options.password;
  const nodeCommand = (port: number, command: string[]) => commandOnNode(port, command, password);
  const serverBinary = process.env['REDIS_SERVER_BIN'] ?? 'redis-server';
  const cliBinary = process.env['REDIS_CLI_BIN'] ?? 'redis-cli';
  for (const binary of [serverBinary, cliBinary]) {
    if (spawnSync(binary, ['--version']).error) {
      throw new Error(`${binary} is not installed: install it (Debian: apt-get install -y redis-server redis-tools) to run these tests`);
    }
  }
  const ports = await distinctFreePorts(masters * 4);
  const directory = mkdtempSync(join(tmpdir(), 'redis-cluster-'));
  const children = new Map<number, ChildProcess>();
  const nodes = Array.from({ length: masters * 2 }, (_, i) => {
    const port = ports[2 * i];
    return {
      port,
      address: `127.0.0.1:${port}`,
      get running() {
        const child = children.get(port);
        return child !== undefined && child.exitCode === null && child.signalCode === null;
      },
    };
  });

  const killAll = async (): Promise<void> => {
    await Promise.all([...children.keys()].map((port) => killChild(children.get(port))));
  };

  try {
    nodes.forEach((node, i) => {
      const nodeDirectory = join(directory, String(node.port));
      mkdirSync(nodeDirectory);
      const child = spawn(
        serverBinary,
        [
          ...['--port', String(node.port), '--cluster-port', String(ports[2 * i + 1]), '--bind', '127.0.0.1'],
          ...['--cluster-enabled', 'yes', '--cluster-config-file', 'nodes.conf', '--cluster-node-timeout', String(nodeTimeoutMs)],
          ...['--dir', nodeDirectory, '--save', '', '--appendonly', 'no', '--protected-mode', 'yes', '--loglevel', 'warning'],
          ...(password === undefined ? [] : ['--requirepass', password, '--masterauth', password]),
        ],
        { stdio: ['ignore', 'ignore', 'inherit'] },
      );
      children.set(node.port, child);
    });
    await Promise.all(nodes.map((node) => waitForPort(node.port, 5_000)));
    // REDISCLI_AUTH is `-a` without the warning about a password on the command line
    const created = spawnSync(cliBinary, ['--cluster', 'create', ...nodes.map((node) => node.address), '--cluster-replicas', '1', '--cluster-yes'], {
      encoding: 'utf8',
      timeout: 30_000,
      ...(password === undefined ? {} : { env: { ...process.env, REDISCLI_AUTH: password } }),
    });
    if (created.status !== 0) throw new Error(`redis-cli --cluster create failed (${created.status ?? created.signal}):\n${created.stdout}\n${created.stderr}`);
  } catch (error) {
    await killAll();
    rmSync(directory, { recursive: true, force: true });
    throw error;
  }

  const live = () => nodes.filter((node) => node.running);

  const roles = async (): Promise<ClusterNodeRole[]> => {
    for (const node of live()) {
      try {
        return parseRoles(await nodeCommand(node.port, ['CLUSTER', 'NODES']));
      } catch {
        // that node is going down: ask the next
      }
    }
    throw new Error('no node of the cluster answers');
  };

  const cluster: ThrowawayRedisCluster = {
    nodes,
    seeds: nodes.map((node) => node.address).join(','),
    password,
    nodeTimeoutMs,
    directory,
    roles,
    masterOf: async (key) => {
      const slot = Number(await nodeCommand(live()[0].port, ['CLUSTER', 'KEYSLOT', key]));
      for (const node of live()) {
        const shards = await nodeCommand(node.port, ['CLUSTER', 'SLOTS']).catch(() => null);
        if (!Array.isArray(shards)) continue;
        for (const [from, to, master] of shards as Array<[number, number, [string, number]]>) {
          if (slot >= from && slot <= to) return Number(master[1]);
        }
      }
      throw new Error(`no master serves slot ${slot}`);
    },
    kill: async (port) => killChild(children.get(port)),
    waitUntilHealthy: (timeoutMs = 20_000) => waitUntilHealthy(live, masters, timeoutMs, nodeCommand),
    flushAll: async () => {
      const masterPorts = (await roles()).filter((role) => role.role === 'master').map((role) => role.port);
      await Promise.all(masterPorts.map((port) => nodeCommand(port, ['FLUSHALL'])));
    },
    stop: async () => {
      await killAll();
      rmSync(directory, { recursive: true, force: true });
    },
  };
  try {
    await cluster.waitUntilHealthy();
  } catch (error) {
    await cluster.stop();
    throw error;
  }
  return cluster;
}

/**
 * Healthy: every live node says `cluster_state:ok` with all 16384 slots covered by
 * `masters` masters, and every replica's link to its master is up (its copy is in sync).
 */
async function waitUntilHealthy(live: () => Array<{ port: number }>, masters: number, timeoutMs: number, nodeCommand: NodeCommand): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let last = '';
  for (;;) {
    try {
      last = await healthProblem(live(), masters, nodeCommand);
      if (last === '') return;
    } catch (error) {
      last = error instanceof Error ? error.message : String(error);
    }
    if (Date.now() > deadline) throw new Error(`the Redis Cluster is not healthy within ${timeoutMs} ms: ${last}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** What keeps the cluster from being healthy, or '' when nothing does. */
async function healthProblem(nodes: Array<{ port: number }>, masters: number, nodeCommand: NodeCommand): Promise<string> {
  const views = new Set<string>();
  for (const node of nodes) {
    const info = fields(String(await nodeCommand(node.port, ['CLUSTER', 'INFO'])));
    if (info.get('cluster_state') !== 'ok') return `${node.port}: cluster_state:${info.get('cluster_state')}`;
    if (Number(info.get('cluster_slots_ok')) !== CLUSTER_SLOTS) return `${node.port}: cluster_slots_ok:${info.get('cluster_slots_ok')}`;
    if (Number(info.get('cluster_size')) !== masters) return `${node.port}: cluster_size:${info.get('cluster_size')}`;
    const replication = fields(String(await nodeCommand(node.port, ['INFO', 'replication'])));
    if (replication.get('role') === 'slave' && replication.get('master_link_status') !== 'up') return `${node.port}: replica link ${replication.get('master_link_status')}`;
    const roles = parseRoles(String(await nodeCommand(node.port, ['CLUSTER', 'NODES'])));
    views.add(
      roles
        .filter((role) => role.role === 'master')
        .map((role) => role.port)
        .sort((a, b) => a - b)
        .join(','),
    );
  }
  if (views.size > 1) return `nodes disagree on the masters: ${[...views].join(' / ')}`;
  return '';
}

/** Masters and replicas that `CLUSTER NODES` lists as not failed (a killed master is left out). */
function parseRoles(clusterNodes: unknown): ClusterNodeRole[] {
  const lines = String(clusterNodes).trim().split('\n');
  const byId = new Map<string, { port: number; flags: string[]; masterId: string }>();
  for (const line of lines) {
    const [id, address, flags, masterId] = line.split(' ');
    byId.set(id, { port: Number(address.split('@')[0].split(':').pop()), flags: flags.split(','), masterId });
  }
  const roles: ClusterNodeRole[] = [];
  for (const node of byId.values()) {
    if (node.flags.includes('fail') || node.flags.includes('noaddr')) continue;
    if (node.flags.includes('master')) roles.push({ port: node.port, role: 'master', masterPort: null });
    else if (node.flags.includes('slave')) roles.push({ port: node.port, role: 'replica', masterPort: byId.get(node.masterId)?.port ?? null });
  }
  return roles.sort((a, b) => a.port - b.port);
}

/** `name:value` lines (INFO, CLUSTER INFO) as a map. */
function fields(text: string): Map<string, string> {
  const map = new Map<string, string>();
  for (const line of text.split(/\r?\n/)) {
    const at = line.indexOf(':');
    if (at > 0) map.set(line.slice(0, at), line.slice(at + 1).trim());
  }
  return map;
}

type NodeCommand = (port: number, command: string[]) => Promise<unknown>;

/** One command on one node, over a connection of its own that gives up at once. */
async function commandOnNode(port: number, command: string[], password: string | undefined): Promise<unknown> {
  const redis = new Redis({ host: '127.0.0.1', port, password, lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null, connectTimeout: 1_000, enableOfflineQueue: false });
  redis.on('error', () => undefined);
  try {
    await redis.connect();
    return await redis.call(command[0], ...command.slice(1));
  } finally {
    redis.disconnect();
  }
}

function killChild(child: ChildProcess | undefined): Promise<void> {
  return new Promise((resolve) => {
    if (!child || child.exitCode !== null || child.signalCode !== null) return resolve();
    child.once('exit', () => resolve());
    child.kill('SIGKILL');
  });
}

/** `count` distinct free loopback ports (each a client port or a cluster-bus port). */
async function distinctFreePorts(count: number): Promise<number[]> {
  const ports = new Set<number>();
  while (ports.size < count) ports.add(await freePort());
  return [...ports];
}
