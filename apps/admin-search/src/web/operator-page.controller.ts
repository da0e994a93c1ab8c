import { Controller, Get, NotFoundException, Param, Res } from '@nestjs/common';
import type { Response } from 'express';
import { OperatorPageAsset, OperatorPageAssets } from './operator-page-assets';

/**
 * Scripts and styles come only from this origin, and the page may talk only to it: no
 * inline script or style, so data rendered into the page can never run. The API key
 * lives in sessionStorage, which this also keeps away from other origins' scripts.
 */
export const OPERATOR_PAGE_CSP = [
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

/**
 * The operator's web page (PROTOCOL section 3, `GET /`) and its assets. Unlike `/api`,
 * these need no key: the page holds no data, it asks for the key and sends it with
 * every API call.
 */
@Controller()
export class OperatorPageController {
  private readonly assets = OperatorPageAssets.load();

  @Get()
  page(@Res() res: Response): void {
    send(res, this.assets.page);
  }

  @Get('assets/:name')
  asset(@Param('name') name: string, @Res() res: Response): void {
    const asset = this.assets.asset(name);
    if (!asset) throw new NotFoundException(`no asset ${name}`);
    send(res, asset);
  }
}

function send(res: Response, asset: OperatorPageAsset): void {
  res
    .status(200)
    .set({
      'Content-Type': asset.contentType,
      'Content-Security-Policy': OPERATOR_PAGE_CSP,
      'X-Content-Type-Options': 'nosniff',
      'Referrer-Policy': 'no-referrer',
      // assets are not fingerprinted: revalidate so an upgrade is seen at once
      'Cache-Control': 'no-cache',
    })
    .send(asset.body);
}
