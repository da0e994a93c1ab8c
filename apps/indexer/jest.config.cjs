module.exports = {
  ...require('../../jest.preset-redis.cjs'),
  displayName: 'indexer',
  rootDir: __dirname,
};
