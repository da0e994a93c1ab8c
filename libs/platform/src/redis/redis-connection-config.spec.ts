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
});
