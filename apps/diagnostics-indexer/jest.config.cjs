module.exports = {
  ...require('../../jest.preset-redis.cjs'),
  displayName: 'diagnostics-indexer',
  rootDir: __dirname,
};
