import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { extname, join } from 'node:path';
import type { Response } from 'express';

/** One file of a web page an app serves, read once at start-up. */
export interface StaticPageAsset {
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
export class StaticPageAssets {
  private constructor(
    readonly page: StaticPageAsset,
    private readonly assets: ReadonlyMap<string, StaticPageAsset>,
  ) {}

  /** Reads `index.html` and `assets/*` from `root`; throws when the page is missing, so a broken build fails at start. */
  static load(root: string): StaticPageAssets {
    const assets = new Map<string, StaticPageAsset>();
    const assetsDir = join(root, 'assets');
    for (const entry of readdirSync(assetsDir, { withFileTypes: true })) {
      const contentType = CONTENT_TYPES[extname(entry.name)];
      if (entry.isFile() && contentType) assets.set(entry.name, { body: readFileSync(join(assetsDir, entry.name)), contentType });
    }
    return new StaticPageAssets({ body: readFileSync(join(root, 'index.html')), contentType: CONTENT_TYPES['.html'] }, assets);
  }

  asset(name: string): StaticPageAsset | undefined {
    return this.assets.get(name);
  }
}

/**
 * A built app (`dist/apps/<app>/main.js`) finds its page in `web/` next to it
 * (tools/build-app.mjs copies `src/web/public` there); run from source, as in tests, it
 * sits in `public/` next to the controller serving it. Callers pass their own
 * `__dirname`, never the working directory, so the app serves it from any cwd.
 */
export function locateStaticPageRoot(dirname: string): string {
  const candidates = [join(dirname, 'web'), join(dirname, 'public')];
  const found = candidates.find((candidate) => existsSync(join(candidate, 'index.html')));
  if (!found) throw new Error(`web page not found in ${candidates.join(' or ')}`);
  return found;
}

/**
 * For pages that load only their own files and talk only to their own origin (WebSockets
 * included): no inline script or style, so data a page renders can never run.
 */
export const SAME_ORIGIN_PAGE_CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self'",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

/** Sends one file of a page with its security headers: `csp` says what the page may load and talk to. */
export function sendStaticAsset(res: Response, asset: StaticPageAsset, csp: string): void {
  res
    .status(200)
    .set({
      'Content-Type': asset.contentType,
      'Content-Security-Policy': csp,
      'X-Content-Type-Options': 'nosniff',
      'Referrer-Policy': 'no-referrer',
      // assets are not fingerprinted: revalidate so an upgrade is seen at once
      'Cache-Control': 'no-cache',
    })
    .send(asset.body);
}
