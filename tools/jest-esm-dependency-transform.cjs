// Jest runs tests in its own CommonJS module runtime, which cannot load packages
// that ship only ES modules (NestJS 12, meilisearch, jose). This transform turns
// those packages' files into CommonJS with esbuild as Jest loads them; the built
// apps do not need it (Node 20.19+ loads ES modules from CommonJS itself).
const { createHash } = require('node:crypto');
const { transformSync, version } = require('esbuild');

const IMPORT_META_URL = '__jestImportMetaUrl';

module.exports = {
  process(source, path) {
    const { code, map } = transformSync(source, {
      loader: 'js',
      format: 'cjs',
      target: 'node20',
      platform: 'node',
      sourcefile: path,
      sourcemap: 'external',
      // Jest's runtime has no dynamic import() without its ESM mode: turn it into require()
      supported: { 'dynamic-import': false },
      // CommonJS has no import.meta: give each file the values Node would
      define: {
        'import.meta.url': IMPORT_META_URL,
        'import.meta.dirname': '__dirname',
        'import.meta.filename': '__filename',
        'import.meta.resolve': 'require.resolve',
      },
      banner: `const ${IMPORT_META_URL} = require('node:url').pathToFileURL(__filename).href;`,
      logLevel: 'silent',
    });
    return { code, map };
  },
  getCacheKey(source, path) {
    return createHash('sha1').update(version).update('\0').update(path).update('\0').update(source).digest('hex');
  },
};
