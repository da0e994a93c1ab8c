import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import { IsIn, IsOptional, IsString, Matches, ValidateBy } from 'class-validator';
import { parseClusterNodes } from '../redis/redis-connection-config';
import { IntegerIn } from './env-transforms';

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];
export const LOG_FORMATS = ['json', 'pretty'] as const;
export type LogFormat = (typeof LOG_FORMATS)[number];

/** Node ids appear in Redis keys and channel names: keep them to a safe alphabet. */
export const NODE_ID_PATTERN = /^[A-Za-z0-9_.:@-]{1,128}$/;

function defaultNodeId(): string {
  const host = hostname().replace(/[^A-Za-z0-9_.-]/g, '-').slice(0, 48) || 'node';
  return `${host}-${randomBytes(3).toString('hex')}`;
}

/** Variables every app reads (PROTOCOL section 4). */
export class CommonEnv {
  @IntegerIn(1, 65535)
  PORT: number = 8080;

  /** Listen address: 0.0.0.0 in containers, 127.0.0.1 for local runs and tests. */
  @IsString()
  @Matches(/^[0-9A-Za-z.:\[\]-]{1,255}$/, { message: 'must be a host name or IP address' })
  HOST: string = '0.0.0.0';

  @IsString()
  @Matches(/^rediss?:\/\/\S+$/, { message: 'must be a redis:// or rediss:// URL' })
  REDIS_URL: string = 'redis://127.0.0.1:6379';

  /** Seed nodes of a Redis Cluster (`host:port,host:port,...`); when set, REDIS_URL is ignored. */
  @IsOptional()
  @ValidateBy({
    name: 'isClusterNodeList',
    validator: {
      validate: (value: unknown) => typeof value === 'string' && parseClusterNodes(value) !== null,
      defaultMessage: () => 'must be a comma-separated list of host:port (port 1 to 65535)',
    },
  })
  REDIS_CLUSTER_NODES?: string = undefined;

  @IsString()
  @Matches(NODE_ID_PATTERN, { message: 'must be 1 to 128 of A-Z a-z 0-9 _ . : @ -' })
  NODE_ID: string = defaultNodeId();

  @IsIn(LOG_LEVELS, { message: `must be one of ${LOG_LEVELS.join(', ')}` })
  LOG_LEVEL: LogLevel = 'info';

  /** Unset: readable lines on a terminal, JSON lines otherwise (a container, a file, a pipe). */
  @IsOptional()
  @IsIn(LOG_FORMATS, { message: `must be one of ${LOG_FORMATS.join(', ')}` })
  LOG_FORMAT?: LogFormat;
}
