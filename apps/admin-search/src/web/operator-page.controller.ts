import { Controller, Get, NotFoundException, Param, Res } from '@nestjs/common';
import { locateStaticPageRoot, SAME_ORIGIN_PAGE_CSP, sendStaticAsset, StaticPageAssets } from '@sg/platform';
import type { Response } from 'express';

/**
 * The operator page loads only its own files and talks only to this origin. The API key
 * lives in sessionStorage, which this also keeps away from other origins' scripts.
 */
export const OPERATOR_PAGE_CSP = SAME_ORIGIN_PAGE_CSP;

/**
 * The operator's web page (PROTOCOL section 3, `GET /`) and its assets. Unlike `/api`,
 * these need no key: the page holds no data, it asks for the key and sends it with
 * every API call.
 */
@Controller()
export class OperatorPageController {
  private readonly assets = StaticPageAssets.load(locateStaticPageRoot(__dirname));

  @Get()
  page(@Res() res: Response): void {
    sendStaticAsset(res, this.assets.page, OPERATOR_PAGE_CSP);
  }

  @Get('assets/:name')
  asset(@Param('name') name: string, @Res() res: Response): void {
    const asset = this.assets.asset(name);
    if (!asset) throw new NotFoundException(`no asset ${name}`);
    sendStaticAsset(res, asset, OPERATOR_PAGE_CSP);
  }
}
