// Builds one Nest app into dist/apps/<app>/main.js: esbuild bundles the
// workspace's TypeScript (libs resolved through tsconfig paths) and leaves
// node_modules external. Files are compiled by TypeScript itself, because
// esbuild cannot emit the decorator metadata Nest's dependency injection reads.
// An app's static web files (apps/<app>/src/web/public) are copied as they are to
// dist/apps/<app>/web, where the built app finds them next to main.js.
import { cp, readFile, rm } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { build } from 'esbuild';
import ts from 'typescript';

const app = process.argv[2];
if (!app) {
  console.error('usage: node tools/build-app.mjs <app>');
  process.exit(2);
}

const root = resolve(import.meta.dirname, '..');
const tsconfigPath = resolve(root, 'tsconfig.base.json');
const { config } = ts.readConfigFile(tsconfigPath, ts.sys.readFile);
const { options } = ts.convertCompilerOptionsFromJson(config.compilerOptions, root);
const compilerOptions = { ...options, module: ts.ModuleKind.CommonJS, moduleResolution: ts.ModuleResolutionKind.Node10, sourceMap: false, inlineSourceMap: true, inlineSources: true, declaration: false, noEmit: false };

const typescriptWithMetadata = {
  name: 'typescript-with-decorator-metadata',
  setup(esbuild) {
    esbuild.onLoad({ filter: /\.ts$/ }, async ({ path }) => {
      const source = await readFile(path, 'utf8');
      const output = ts.transpileModule(source, { compilerOptions, fileName: path });
      return { contents: output.outputText, loader: 'js' };
    });
  },
};

await build({
  entryPoints: [resolve(root, `apps/${app}/src/main.ts`)],
  outfile: resolve(root, `dist/apps/${app}/main.js`),
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  packages: 'external',
  tsconfig: resolve(root, 'tsconfig.json'),
  sourcemap: 'linked',
  logLevel: 'warning',
  plugins: [typescriptWithMetadata],
});
const webSource = resolve(root, `apps/${app}/src/web/public`);
const webTarget = resolve(root, `dist/apps/${app}/web`);
// replaced, not merged: a file removed from the source must not keep being served
await rm(webTarget, { recursive: true, force: true });
if (existsSync(webSource)) await cp(webSource, webTarget, { recursive: true });
console.log(`built dist/apps/${app}/main.js`);
