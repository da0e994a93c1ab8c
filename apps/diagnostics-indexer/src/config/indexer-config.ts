import { CommonConfig, StoreConfig, TracingConfig, tracingConfig } from '@sg/platform';
import type { SessionRules } from '@sg/session';
import type { IndexerEnv } from './indexer-env';

/** The indexer's typed configuration. */
export class IndexerConfig extends CommonConfig {
  readonly store: StoreConfig;
  readonly rules: SessionRules;
  readonly indexing: {
    readonly maxLagMs: number;
    readonly batchEntries: number;
    readonly leaseTtlMs: number;
  };
  readonly retention: { readonly ttlDays: number; readonly intervalMs: number };
  /** A span per session write, in the session's trace (docs/operations.md, "Tracing"); null: tracing is off. */
  readonly tracing: TracingConfig | null;

  constructor(env: IndexerEnv) {
    super(env);
    this.tracing = tracingConfig(env);
    this.store = { kind: env.STORE, sqlitePath: env.SQLITE_PATH, meiliUrl: env.MEILI_URL, meiliMasterKey: env.MEILI_MASTER_KEY };
    this.rules = { negotiationTimeoutMs: env.NEGOTIATION_TIMEOUT_MS, iceTimeoutMs: env.ICE_TIMEOUT_MS };
    this.indexing = { maxLagMs: env.INDEX_MAX_LAG_MS, batchEntries: env.INDEX_BATCH_ENTRIES, leaseTtlMs: env.SHARD_LEASE_TTL_MS };
    this.retention = { ttlDays: env.SESSION_TTL_DAYS, intervalMs: env.RETENTION_INTERVAL_MS };
  }
}
