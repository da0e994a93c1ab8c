import type { RedisConnection } from '../redis-connection';
import { REDIS_KEYS } from '../redis-keys';

/** PROTOCOL section 3: the action log keeps the last 10,000 actions. */
export const OPERATOR_ACTION_LOG_MAX = 10_000;

/** One operator action as `GET /api/actions` lists it (PROTOCOL section 3); `t` in Unix seconds. */
export interface OperatorActionRecord {
  readonly t: number;
  readonly action: 'kick' | 'close-room' | 'drain' | 'undrain';
  /** What was acted on: `room/peer`, a room, or a node. */
  readonly target: string;
  /** The node that was asked (null when no node holds the target). */
  readonly node_id: string | null;
  /** `ok`, `not-found`, `timeout` (the node did not answer in time) or `error`. */
  readonly result: 'ok' | 'not-found' | 'timeout' | 'error';
  /** The operator's address as admin-search saw it. */
  readonly remote_addr: string;
}

/** The operator action log in one Redis list, shared by every admin-search instance. */
export class RedisOperatorActionLog {
  constructor(private readonly redis: RedisConnection) {}

  async append(record: OperatorActionRecord): Promise<void> {
    // push and trim in one transaction: the list never grows past its bound
    await this.redis
      .multi()
      .lpush(REDIS_KEYS.operatorActions, JSON.stringify(record))
      .ltrim(REDIS_KEYS.operatorActions, 0, OPERATOR_ACTION_LOG_MAX - 1)
      .exec();
  }

  /** The newest `limit` actions, newest first. */
  async newest(limit: number): Promise<OperatorActionRecord[]> {
    const entries = await this.redis.lrange(REDIS_KEYS.operatorActions, 0, limit - 1);
    return entries.map((entry) => JSON.parse(entry) as OperatorActionRecord);
  }
}
