module.exports = {
  ...require('../../jest.preset.cjs'),
  displayName: 'admin-search',
  rootDir: __dirname,
};
