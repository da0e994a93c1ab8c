import { IntegerIn, StoreEnv } from '@sg/platform';
import { IsDefined, IsString, MinLength } from 'class-validator';

/** admin-search's environment (PROTOCOL sections 3 and 4; docs/configuration.md). */
export class AdminSearchEnv extends StoreEnv {
  override PORT: number = 8082;

  // required: the admin API never answers without its key
  @IsDefined({ message: 'is required' })
  @IsString()
  @MinLength(16, { message: 'must be at least 16 characters' })
  ADMIN_API_KEY?: string = undefined;

  /** PROTOCOL section 3 "Limits": a search past it is cancelled and answered 503. */
  @IntegerIn(10, 600_000)
  SEARCH_TIMEOUT_MS: number = 5_000;

  /** Searches running at once; with STORE=sqlite, the worker threads that run them. */
  @IntegerIn(1, 64)
  SEARCH_CONCURRENCY: number = 4;

  /** Searches waiting for a turn before more get 503. */
  @IntegerIn(0, 10_000)
  SEARCH_QUEUE_MAX: number = 64;
}
