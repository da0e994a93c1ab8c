import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { extname, join } from 'node:path';

/** One file of the operator page, read once at start-up. */
export interface OperatorPageAsset {
  readonly body: Buffer;
  readonly contentType: string;
}

const CONTENT_TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
};

/**
 * The operator page's static files, held in memory. Only files found at start-up are
 * served, by exact name, so no request path ever reaches the file system (no traversal).
 */
export class OperatorPageAssets {
  private constructor(
    readonly page: OperatorPageAsset,
    private readonly assets: ReadonlyMap<string, OperatorPageAsset>,
  ) {}

  /** Reads `index.html` and `assets/*` from `root`; throws when the page is missing, so a broken build fails at start. */
  static load(root: string = locateOperatorPageRoot()): OperatorPageAssets {
    const assets = new Map<string, OperatorPageAsset>();
    const assetsDir = join(root, 'assets');
    for (const entry of readdirSync(assetsDir, { withFileTypes: true })) {
      const contentType = CONTENT_TYPES[extname(entry.name)];
      if (entry.isFile() && contentType) assets.set(entry.name, { body: readFileSync(join(assetsDir, entry.name)), contentType });
    }
    return new OperatorPageAssets({ body: readFileSync(join(root, 'index.html')), contentType: CONTENT_TYPES['.html'] }, assets);
  }

  asset(name: string): OperatorPageAsset | undefined {
    return this.assets.get(name);
  }
}

/**
 * The built app (`dist/apps/admin-search/main.js`) finds the page in `web/` next to it
 * (tools/build-app.mjs copies `src/web/public` there); run from source, as in this
 * folder's tests, it sits in `public/` next to this file. Relative to `__dirname`, never
 * the working directory, so the app serves it from any cwd.
 */
export function locateOperatorPageRoot(dirname: string = __dirname): string {
  const candidates = [join(dirname, 'web'), join(dirname, 'public')];
  const found = candidates.find((candidate) => existsSync(join(candidate, 'index.html')));
  if (!found) throw new Error(`operator page not found in ${candidates.join(' or ')}`);
  return found;
}
