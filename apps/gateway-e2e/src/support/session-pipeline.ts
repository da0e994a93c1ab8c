import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Cluster, default as Redis } from 'ioredis';
import type { SessionDocument } from '@sg/schema';
import { AppProcess, connectRedisOf, PrometheusScrape, scrapeMetrics, startApp, uniqueName } from '@sg/testing';
import { E2E_REDIS_KEYS } from './redis-keys';
import { SuiteRedis, suiteRedis } from './suite-redis';
import { GatewayCluster, startGatewayCluster } from './gateway-cluster';

export const ADMIN_API_KEY = 'test-admin-key-pipeline-0123456789';

export interface SessionPipelineOptions {
  readonly gateways: number;
  /** Extra indexer variables, e.g. NEGOTIATION_TIMEOUT_MS. */
  readonly indexerEnv?: Record<string, string>;
  readonly gatewayEnv?: Record<string, string>;
}

/**
 * The diagnostics pipeline as operators run it: gateway nodes, an indexer and
 * admin-search on their own Redis (`suiteRedis`), indexer and admin-search on one
 * SQLite file in a temp dir.
 */
export class SessionPipeline {
  readonly indexers: AppProcess[] = [];

  private constructor(
    readonly redis: SuiteRedis,
    readonly directory: string,
    readonly cluster: GatewayCluster,
    readonly adminSearch: AppProcess,
    private readonly options: SessionPipelineOptions,
  ) {}

  static async start(options: SessionPipelineOptions): Promise<SessionPipeline> {
    const redis = await suiteRedis();
    const directory = mkdtempSync(join(tmpdir(), 'session-pipeline-'));
    const sqlitePath = join(directory, 'sessions.db');
    const [cluster, adminSearch] = await Promise.all([
      startGatewayCluster(options.gateways, { ...redis.env, ...options.gatewayEnv }),
      startApp('admin-search', { ...redis.env, ADMIN_API_KEY, SQLITE_PATH: sqlitePath }),
    ]);
    const pipeline = new SessionPipeline(redis, directory, cluster, adminSearch, options);
    await pipeline.startIndexer();
    return pipeline;
  }

  get sqlitePath(): string {
    return join(this.directory, 'sessions.db');
  }

  /** Starts one more indexer process on the same Redis and SQLite file. */
  async startIndexer(env: Record<string, string> = {}): Promise<AppProcess> {
    const indexer = await startApp('diagnostics-indexer', {
      ...this.redis.env,
      SQLITE_PATH: this.sqlitePath,
      NODE_ID: uniqueName('indexer'),
      // a SIGKILLed indexer's shards move on after a second, not the default five
      SHARD_LEASE_TTL_MS: '1000',
      ...this.options.indexerEnv,
      ...env,
    });
    this.indexers.push(indexer);
    return indexer;
  }

  /** The documents of a room's sessions, as operators find them: admin-search's search API over the shared store. */
  async sessionsOfRoom(room: string): Promise<SessionDocument[]> {
    return this.search(`room_id = "${room}"`);
  }

  /** The documents one admin search with `filter` finds, oldest first. */
  async search(filter: string): Promise<SessionDocument[]> {
    const response = await fetch(`${this.adminSearch.baseUrl}/api/sessions/search`, {
      method: 'POST',
      headers: { authorization: `Bearer ${ADMIN_API_KEY}`, 'content-type': 'application/json' },
      body: JSON.stringify({ filter, sort: ['created_at:asc'], limit: 10 }),
    });
    if (response.status !== 200) throw new Error(`search answered ${response.status}: ${await response.text()}`);
    return ((await response.json()) as { hits: SessionDocument[] }).hits;
  }

  /** One whole document through `GET /api/sessions/:id`. */
  async session(id: string): Promise<SessionDocument> {
    const response = await fetch(`${this.adminSearch.baseUrl}/api/sessions/${id}`, { headers: { authorization: `Bearer ${ADMIN_API_KEY}` } });
    if (response.status !== 200) throw new Error(`GET /api/sessions/${id} answered ${response.status}: ${await response.text()}`);
    return (await response.json()) as SessionDocument;
  }

  /**
   * Waits until a search finds exactly one session in the room and it satisfies `accept`;
   * returns its whole document (GET /api/sessions/:id) and when the search first found it so.
   */
  async waitForSession(room: string, accept: (doc: SessionDocument) => boolean, timeoutMs = 10_000): Promise<{ doc: SessionDocument; seenAt: number }> {
    const deadline = Date.now() + timeoutMs;
    let last: SessionDocument[] = [];
    for (;;) {
      last = await this.sessionsOfRoom(room);
      if (last.length === 1 && accept(last[0])) {
        const seenAt = Date.now();
        const doc = await this.session(last[0].session_id);
        // the search hit is the document itself, unless a newer write landed in between
        if (accept(doc)) return { doc, seenAt };
      }
      if (last.length > 1) throw new Error(`room ${room} has ${last.length} sessions: ${JSON.stringify(last).slice(0, 2_000)}`);
      if (Date.now() > deadline) throw new Error(`session of room ${room} not as expected within ${timeoutMs} ms; last: ${JSON.stringify(last).slice(0, 3_000)}`);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }

  /**
   * Waits until the indexer has read these peers' admissions (its peer records in Redis):
   * a report a peer sends before its first offer joins the session only once the
   * addressee's admission is known.
   */
  async waitForAdmissionsIndexed(room: string, peers: readonly string[], timeoutMs = 5_000): Promise<void> {
    const redis = this.redisClient();
    try {
      const deadline = Date.now() + timeoutMs;
      // one room's peer records share its shard's slot
      while ((await redis.exists(...peers.map((peer) => E2E_REDIS_KEYS.indexerPeer(room, peer)))) < peers.length) {
        if (Date.now() > deadline) throw new Error(`admissions of ${peers.join(', ')} not indexed within ${timeoutMs} ms`);
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    } finally {
      await redis.quit();
    }
  }

  /** A client of the pipeline's Redis, for a test that looks into it; the caller disconnects it. */
  redisClient(): Redis | Cluster {
    return connectRedisOf(this.redis.env);
  }

  async metrics(app: AppProcess): Promise<PrometheusScrape> {
    return scrapeMetrics(app.baseUrl);
  }

  async stop(): Promise<void> {
    await Promise.all([this.cluster.stop(), this.adminSearch.stop(), ...this.indexers.map((indexer) => indexer.stop())]);
    await this.redis.stop();
    rmSync(this.directory, { recursive: true, force: true });
  }
}
