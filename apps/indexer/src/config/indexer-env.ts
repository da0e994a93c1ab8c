import { StoreEnv } from '@sg/platform';

/** The indexer's environment (PROTOCOL section 4; docs/configuration.md). */
export class IndexerEnv extends StoreEnv {
  override PORT: number = 8081;
}
