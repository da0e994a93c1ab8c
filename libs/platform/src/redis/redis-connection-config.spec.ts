import { CommonEnv } from '../env/common-env';
import { CommonConfig } from '../env/common-config';
import { EnvValidationError } from '../env/env-validation.error';
import { validateEnv } from '../env/validate-env';
import { parseClusterNodes, redisConnectionConfig } from './redis-connection-config';
import { redisTarget } from './redis-target';

describe(parseClusterNodes.name, () => {
  it('reads host:port entries, spaces and empty entries aside', () => {
    expect(parseClusterNodes('10.0.0.1:7000, redis-0.redis:6379,,[::1]:7001')).toEqual([
      { host: '10.0.0.1', port: 7000 },
      { host: 'redis-0.redis', port: 6379 },
      { host: '::1', port: 7001 },
    ]);
  });

  it.each(['', ' , ', 'host', 'host:', ':7000', 'host:0', 'host:65536', 'host:70000', 'redis://host:7000', 'a b:7000', '::1:7000', 'host:7000/1'])('refuses %j', (value) => {
    expect(parseClusterNodes(value)).toBeNull();
  });
});

describe(redisConnectionConfig.name, () => {
  it('uses REDIS_URL when no cluster is named', () => {
    expect(redisConnectionConfig({ REDIS_URL: 'redis://r:6379/2' })).toEqual({ mode: 'single', url: 'redis://r:6379/2' });
  });

  it('uses the cluster, and ignores REDIS_URL, when REDIS_CLUSTER_NODES is set', () => {
    expect(redisConnectionConfig({ REDIS_URL: 'redis://r:6379', REDIS_CLUSTER_NODES: 'a:7000,b:7001' })).toEqual({
      mode: 'cluster',
      nodes: [
        { host: 'a', port: 7000 },
        { host: 'b', port: 7001 },
      ],
    });
  });

  it('carries the cluster credentials when REDIS_CLUSTER_PASSWORD is set, with REDIS_CLUSTER_USERNAME when that is', () => {
    const nodes = 'a:7000';
    expect(redisConnectionConfig({ REDIS_URL: 'redis://r:6379', REDIS_CLUSTER_NODES: nodes, REDIS_CLUSTER_PASSWORD: 'pw' })).toEqual({
      mode: 'cluster',
      nodes: [{ host: 'a', port: 7000 }],
      credentials: { password: 'pw' },
    });
    expect(redisConnectionConfig({ REDIS_URL: 'redis://r:6379', REDIS_CLUSTER_NODES: nodes, REDIS_CLUSTER_USERNAME: 'app', REDIS_CLUSTER_PASSWORD: 'pw' })).toMatchObject({
      credentials: { username: 'app', password: 'pw' },
    });
  });

  it('has no credentials for a cluster without a password', () => {
    expect(redisConnectionConfig({ REDIS_URL: 'redis://r:6379', REDIS_CLUSTER_NODES: 'a:7000' })).not.toHaveProperty('credentials');
  });
});

function problemsOf(env: Record<string, string>): string[] {
  try {
    validateEnv(CommonEnv, env);
  } catch (error) {
    if (error instanceof EnvValidationError) return error.problems;
    throw error;
  }
  return [];
}

function messageOf(env: Record<string, string>): string {
  try {
    validateEnv(CommonEnv, env);
  } catch (error) {
    if (error instanceof Error) return error.message;
  }
  return '';
}

describe('REDIS_CLUSTER_USERNAME and REDIS_CLUSTER_PASSWORD in the common environment', () => {
  const CLUSTER_ONLY = 'applies to a Redis Cluster only: set REDIS_CLUSTER_NODES too (one Redis takes its credentials in REDIS_URL, redis://user:password@host:port)';

  it('are optional', () => {
    expect(validateEnv(CommonEnv, {})).toMatchObject({ REDIS_CLUSTER_USERNAME: undefined, REDIS_CLUSTER_PASSWORD: undefined });
  });

  it('map to the credentials of the cluster in the typed config', () => {
    const env = validateEnv(CommonEnv, { REDIS_CLUSTER_NODES: '127.0.0.1:7000', REDIS_CLUSTER_USERNAME: 'signaling', REDIS_CLUSTER_PASSWORD: 'p@ss word:/#' });
    expect(new CommonConfig(env).redis).toEqual({
      mode: 'cluster',
      nodes: [{ host: '127.0.0.1', port: 7000 }],
      credentials: { username: 'signaling', password: 'p@ss word:/#' },
    });
  });

  it('take a password alone, for the default user', () => {
    expect(new CommonConfig(validateEnv(CommonEnv, { REDIS_CLUSTER_NODES: '127.0.0.1:7000', REDIS_CLUSTER_PASSWORD: 'secret' })).redis).toMatchObject({
      credentials: { password: 'secret' },
    });
  });

  it('count as unset when empty', () => {
    expect(new CommonConfig(validateEnv(CommonEnv, { REDIS_CLUSTER_NODES: '127.0.0.1:7000', REDIS_CLUSTER_USERNAME: '', REDIS_CLUSTER_PASSWORD: '' })).redis).not.toHaveProperty('credentials');
  });

  it('refuse a password without REDIS_CLUSTER_NODES, which nothing would use, never printing it', () => {
    expect(problemsOf({ REDIS_CLUSTER_PASSWORD: 'hunter2-cluster' })).toEqual([`REDIS_CLUSTER_PASSWORD: ${CLUSTER_ONLY}`]);
    expect(messageOf({ REDIS_CLUSTER_PASSWORD: 'hunter2-cluster' })).not.toContain('hunter2-cluster');
  });

  it('refuse a username without REDIS_CLUSTER_NODES or without a password', () => {
    expect(problemsOf({ REDIS_CLUSTER_USERNAME: 'app' })).toEqual([
      `REDIS_CLUSTER_USERNAME: ${CLUSTER_ONLY}; needs REDIS_CLUSTER_PASSWORD (AUTH takes a username only with its password)`,
    ]);
    expect(problemsOf({ REDIS_CLUSTER_NODES: '127.0.0.1:7000', REDIS_CLUSTER_USERNAME: 'app' })).toEqual([
      'REDIS_CLUSTER_USERNAME: needs REDIS_CLUSTER_PASSWORD (AUTH takes a username only with its password)',
    ]);
  });

  it.each(['hunter2\n', ' hunter2', 'hunter2\t'])('refuse the password %j, surrounded by white space, never printing it', (value) => {
    expect(problemsOf({ REDIS_CLUSTER_NODES: '127.0.0.1:7000', REDIS_CLUSTER_PASSWORD: value })).toEqual([
      'REDIS_CLUSTER_PASSWORD: must not start or end with white space (a line break from a secret file?)',
    ]);
    expect(messageOf({ REDIS_CLUSTER_NODES: '127.0.0.1:7000', REDIS_CLUSTER_PASSWORD: value })).not.toContain('hunter2');
  });

  it('keep white space inside a password', () => {
    expect(validateEnv(CommonEnv, { REDIS_CLUSTER_NODES: '127.0.0.1:7000', REDIS_CLUSTER_PASSWORD: 'two words\nand a line' }).REDIS_CLUSTER_PASSWORD).toBe('two words\nand a line');
  });

  it('refuse a username with white space', () => {
    expect(problemsOf({ REDIS_CLUSTER_NODES: '127.0.0.1:7000', REDIS_CLUSTER_USERNAME: 'app user', REDIS_CLUSTER_PASSWORD: 'pw' })).toEqual([
      'REDIS_CLUSTER_USERNAME: must not contain white space',
    ]);
  });

  it('name only REDIS_CLUSTER_NODES when that list is bad', () => {
    expect(problemsOf({ REDIS_CLUSTER_NODES: 'nope', REDIS_CLUSTER_PASSWORD: 'pw' })).toEqual(['REDIS_CLUSTER_NODES: must be a comma-separated list of host:port (port 1 to 65535)']);
  });
});

describe('REDIS_CLUSTER_NODES in the common environment', () => {
  it('is optional, and maps to the cluster in the typed config', () => {
    expect(new CommonConfig(validateEnv(CommonEnv, {})).redis).toEqual({ mode: 'single', url: 'redis://127.0.0.1:6379' });
    expect(new CommonConfig(validateEnv(CommonEnv, { REDIS_CLUSTER_NODES: '127.0.0.1:7000' })).redis).toEqual({ mode: 'cluster', nodes: [{ host: '127.0.0.1', port: 7000 }] });
  });

  it('refuses a bad list naming the variable, never its value', () => {
    let error: unknown;
    try {
      validateEnv(CommonEnv, { REDIS_CLUSTER_NODES: 'secret-host:99999' });
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(EnvValidationError);
    expect((error as EnvValidationError).problems).toEqual(['REDIS_CLUSTER_NODES: must be a comma-separated list of host:port (port 1 to 65535)']);
    expect((error as Error).message).not.toContain('secret-host');
  });
});

describe(redisTarget.name, () => {
  it('names a cluster by its seeds, and a URL without its password', () => {
    expect(redisTarget({ mode: 'cluster', nodes: [{ host: 'a', port: 1 }, { host: '::1', port: 2 }] })).toBe('cluster a:1,[::1]:2');
    expect(redisTarget({ mode: 'single', url: 'redis://user:pw@r:6379/3' })).toBe('redis://r:6379/3');
  });

  it('never shows the credentials of a cluster', () => {
    expect(redisTarget({ mode: 'cluster', nodes: [{ host: 'a', port: 1 }], credentials: { username: 'app', password: 'secret-pw' } })).toBe('cluster a:1');
  });
});
