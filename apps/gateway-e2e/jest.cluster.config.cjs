// The suites that matter on a Redis Cluster (cross-node, capacity, resume, node-lost,
// the session pipeline), once more against a real 3-master cluster on loopback, and the
// cluster-only ones (src/cluster/: failover). E2E_REDIS=cluster is the project-level switch:
// the global setup starts the cluster and the support code points every app at it.
process.env.E2E_REDIS = 'cluster';

const base = require('./jest.config.cjs');

module.exports = {
  ...base,
  displayName: 'gateway-e2e (redis cluster)',
  testMatch: [
    '<rootDir>/src/signaling.e2e-spec.ts',
    '<rootDir>/src/capacity.e2e-spec.ts',
    '<rootDir>/src/room-wide-offer.e2e-spec.ts',
    '<rootDir>/src/resume.e2e-spec.ts',
    '<rootDir>/src/session-pipeline.e2e-spec.ts',
    '<rootDir>/src/session-pipeline-recovery.e2e-spec.ts',
    '<rootDir>/src/cluster/**/*.e2e-spec.ts',
  ],
  testPathIgnorePatterns: ['/node_modules/'],
  setupFilesAfterEnv: ['<rootDir>/src/support/empty-cluster-per-file.ts'],
};
