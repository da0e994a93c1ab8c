module.exports = {
  ...require('../../jest.preset.cjs'),
  displayName: 'room',
  rootDir: __dirname,
};
