import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import { IsIn, IsOptional, IsString, Matches, ValidateBy, ValidationArguments } from 'class-validator';
import { parseClusterNodes } from '../redis/redis-connection-config';
import { IntegerIn } from './env-transforms';

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];
export const LOG_FORMATS = ['json', 'pretty'] as const;
export type LogFormat = (typeof LOG_FORMATS)[number];

/** Node ids appear in Redis keys and channel names: keep them to a safe alphabet. */
export const NODE_ID_PATTERN = /^[A-Za-z0-9_.:@-]{1,128}$/;

/**
 * A variable that means something only beside another one: refused when that one is unset,
 * since it would otherwise be ignored without a word.
 */
function Requires(other: keyof CommonEnv, message: string): PropertyDecorator {
  return ValidateBy({
    name: `requires${other}`,
    validator: {
      validate: (_value: unknown, args?: ValidationArguments) => (args?.object as Record<string, unknown> | undefined)?.[other] !== undefined,
      defaultMessage: () => message,
    },
  });
}

const CLUSTER_ONLY = 'applies to a Redis Cluster only: set REDIS_CLUSTER_NODES too (one Redis takes its credentials in REDIS_URL, redis://user:password@host:port)';

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

  /** Redis 6 ACL user of every connection to the cluster's nodes; unset: the default user. */
  @IsOptional()
  @IsString()
  @Matches(/^\S+$/, { message: 'must not contain white space' })
  // decorators register bottom-up: the missing REDIS_CLUSTER_NODES is named first
  @Requires('REDIS_CLUSTER_PASSWORD', 'needs REDIS_CLUSTER_PASSWORD (AUTH takes a username only with its password)')
  @Requires('REDIS_CLUSTER_NODES', CLUSTER_ONLY)
  REDIS_CLUSTER_USERNAME?: string = undefined;

  /**
   * Password of every connection to the cluster's nodes (`requirepass`, or the ACL user's). White
   * space at either end is refused rather than trimmed: it is most often the line break a secret
   * file ends with, and a secret changed silently would fail later as a wrong password.
   */
  @IsOptional()
  @IsString()
  @Matches(/^\S(?:.*\S)?$/s, { message: 'must not start or end with white space (a line break from a secret file?)' })
  @Requires('REDIS_CLUSTER_NODES', CLUSTER_ONLY)
  REDIS_CLUSTER_PASSWORD?: string = undefined;

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
