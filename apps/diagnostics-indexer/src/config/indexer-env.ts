import { IntegerIn, StoreEnv, withTracingEnv } from '@sg/platform';

/** The indexer's environment (PROTOCOL sections 2 and 4; docs/configuration.md). */
export class IndexerEnv extends withTracingEnv(StoreEnv, 'diagnostics-indexer') {
  override PORT: number = 8081;

  @IntegerIn(1_000, 3_600_000)
  NEGOTIATION_TIMEOUT_MS: number = 30_000;

  @IntegerIn(1_000, 3_600_000)
  ICE_TIMEOUT_MS: number = 30_000;

  @IntegerIn(1, 3_650)
  SESSION_TTL_DAYS: number = 7;

  @IntegerIn(100, 600_000)
  INDEX_MAX_LAG_MS: number = 2_000;

  @IntegerIn(1, 10_000)
  INDEX_BATCH_ENTRIES: number = 200;

  @IntegerIn(1_000, 600_000)
  SHARD_LEASE_TTL_MS: number = 5_000;

  @IntegerIn(1_000, 86_400_000)
  RETENTION_INTERVAL_MS: number = 3_600_000;
}
