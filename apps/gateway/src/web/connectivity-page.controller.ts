import { Controller, Get, NotFoundException, Param, Res } from '@nestjs/common';
import { locateStaticPageRoot, SAME_ORIGIN_PAGE_CSP, sendStaticAsset, StaticPageAssets } from '@sg/platform';
import type { Response } from 'express';
import { GatewayConfig } from '../config/gateway-config';

/** What the page needs to know before it runs: whether to ask for a token, and whether probes run here at all. */
export interface ConnectivitySettings {
  readonly authRequired: boolean;
  readonly probeEnabled: boolean;
}

/**
 * The connectivity test page (PROTOCOL section 1, `GET /connectivity`): a user opens it and
 * it probes the node's own peer three ways. No key: the page holds nothing; with auth on it
 * asks for the user's token and sends it only in its WebSocket URL, as any client does.
 */
@Controller('connectivity')
export class ConnectivityPageController {
  private readonly assets = StaticPageAssets.load(locateStaticPageRoot(__dirname));
  private readonly settingsBody: ConnectivitySettings;

  constructor(config: GatewayConfig) {
    this.settingsBody = { authRequired: config.auth.enabled, probeEnabled: config.probe.enabled };
  }

  @Get()
  page(@Res() res: Response): void {
    sendStaticAsset(res, this.assets.page, SAME_ORIGIN_PAGE_CSP);
  }

  @Get('settings')
  settings(): ConnectivitySettings {
    return this.settingsBody;
  }

  @Get('assets/:name')
  asset(@Param('name') name: string, @Res() res: Response): void {
    const asset = this.assets.asset(name);
    if (!asset) throw new NotFoundException(`no asset ${name}`);
    sendStaticAsset(res, asset, SAME_ORIGIN_PAGE_CSP);
  }
}
