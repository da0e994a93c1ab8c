module.exports = {
  ...require('../../jest.preset-redis.cjs'),
  displayName: 'cluster',
  rootDir: __dirname,
};
