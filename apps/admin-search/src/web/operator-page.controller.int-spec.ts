import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { INestApplication, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { locateStaticPageRoot } from '@sg/platform';
import { OPERATOR_PAGE_CSP, OperatorPageController } from './operator-page.controller';

@Module({ controllers: [OperatorPageController] })
class OperatorPageTestModule {}

describe(OperatorPageController.name, () => {
  let app: INestApplication;
  let baseUrl: string;

  beforeAll(async () => {
    app = await NestFactory.create(OperatorPageTestModule, { logger: false });
    await app.listen(0, '127.0.0.1');
    baseUrl = await app.getUrl();
  });

  afterAll(async () => {
    await app.close();
  });

  async function text(path: string): Promise<string> {
    const response = await fetch(`${baseUrl}${path}`);
    expect(response.status).toBe(200);
    return response.text();
  }

  it('serves the page at / without any key, with a strict CSP', async () => {
    const response = await fetch(`${baseUrl}/`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(response.headers.get('content-security-policy')).toBe(OPERATOR_PAGE_CSP);
    expect(OPERATOR_PAGE_CSP).toContain("default-src 'self'");
    expect(OPERATOR_PAGE_CSP).not.toContain('unsafe-inline');
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    expect(await response.text()).toContain('<title>Signaling sessions</title>');
  });

  it.each([
    ['operator-page.js', 'text/javascript; charset=utf-8'],
    ['styles.css', 'text/css; charset=utf-8'],
    ['favicon.svg', 'image/svg+xml'],
  ])('serves /assets/%s as %s', async (name, contentType) => {
    const response = await fetch(`${baseUrl}/assets/${name}`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe(contentType);
    expect(response.headers.get('content-security-policy')).toBe(OPERATOR_PAGE_CSP);
  });

  it.each(['/assets/nope.js', '/assets/..%2Findex.html', '/assets/%2E%2E%2Foperator-page.controller.ts', '/index.html'])('answers 404 for %s', async (path) => {
    expect((await fetch(`${baseUrl}${path}`)).status).toBe(404);
  });

  it('has no inline script or style, and every asset the page names is served', async () => {
    const html = await text('/');
    expect(html).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/);
    expect(html).not.toMatch(/<style|\sstyle=|\son[a-z]+=/i);
    const referenced = [...html.matchAll(/(?:src|href)="(\/assets\/[^"]+)"/g)].map((match) => match[1]);
    expect(referenced).toEqual(expect.arrayContaining(['/assets/operator-page.js', '/assets/styles.css']));
    for (const path of referenced) await text(path);
  });

  it('every module the page imports is served, and none writes markup from strings', async () => {
    const seen = new Set<string>();
    const pending = ['operator-page.js'];
    while (pending.length > 0) {
      const name = pending.pop() as string;
      if (seen.has(name)) continue;
      seen.add(name);
      const source = await text(`/assets/${name}`);
      // data is rendered with textContent only (dom.js); these would parse it as HTML
      expect(source).not.toMatch(/innerHTML|outerHTML|insertAdjacentHTML|document\.write/);
      for (const match of source.matchAll(/from '\.\/([a-z0-9-]+\.js)'/g)) pending.push(match[1]);
    }
    expect([...seen]).toEqual(expect.arrayContaining(['negotiation-ladder.js', 'session-search-query.js', 'admin-api.js']));
  });
});

describe(locateStaticPageRoot.name, () => {
  let dir: string;

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'operator-page-'));
  });

  afterEach(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  it('finds the built copy in web/ next to the bundle', () => {
    mkdirSync(join(dir, 'web'));
    writeFileSync(join(dir, 'web', 'index.html'), '');
    expect(locateStaticPageRoot(dir)).toBe(join(dir, 'web'));
  });

  it('names both places it looked when the page is missing', () => {
    expect(() => locateStaticPageRoot(dir)).toThrow(`web page not found in ${join(dir, 'web')} or ${join(dir, 'public')}`);
  });
});
