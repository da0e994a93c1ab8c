import { Controller, Delete, Get, HttpCode, Param, Post, Query, Req, UseGuards, UsePipes } from '@nestjs/common';
import type { OperatorActionRecord } from '@sg/cluster';
import type { NodeId, PeerId, RoomId } from '@sg/schema';
import type { Request } from 'express';
import { AdminApiKeyGuard } from '../auth/admin-api-key.guard';
import { adminValidationPipe } from '../http/admin-validation.pipe';
import { ListActionsQuery, NodeParams, RoomParams, RoomPeerParams } from './operator-action.params';
import { OperatorActionsService } from './operator-actions.service';

const DEFAULT_ACTIONS_LIMIT = 100;

/** Operator actions on live peers, rooms and nodes, and their log (PROTOCOL section 3). */
@Controller('api')
@UseGuards(AdminApiKeyGuard)
@UsePipes(adminValidationPipe())
export class OperatorActionsController {
  constructor(private readonly actions: OperatorActionsService) {}

  @Post('rooms/:room/peers/:peer/kick')
  @HttpCode(200)
  kick(@Param() params: RoomPeerParams, @Req() request: Request) {
    return this.actions.kickPeer(params.room as RoomId, params.peer as PeerId, remoteAddr(request));
  }

  @Delete('rooms/:room')
  closeRoom(@Param() params: RoomParams, @Req() request: Request) {
    return this.actions.closeRoom(params.room as RoomId, remoteAddr(request));
  }

  @Post('nodes/:node/drain')
  @HttpCode(200)
  drain(@Param() params: NodeParams, @Req() request: Request) {
    return this.actions.setDraining(params.node as NodeId, true, remoteAddr(request));
  }

  @Post('nodes/:node/undrain')
  @HttpCode(200)
  undrain(@Param() params: NodeParams, @Req() request: Request) {
    return this.actions.setDraining(params.node as NodeId, false, remoteAddr(request));
  }

  @Get('actions')
  list(@Query() query: ListActionsQuery): Promise<OperatorActionRecord[]> {
    return this.actions.recent(query.limit ?? DEFAULT_ACTIONS_LIMIT);
  }
}

/** The operator's `ip:port` as this process saw the connection. */
function remoteAddr(request: Request): string {
  const { remoteAddress, remotePort } = request.socket;
  if (!remoteAddress) return 'unknown';
  return remoteAddress.includes(':') ? `[${remoteAddress}]:${remotePort}` : `${remoteAddress}:${remotePort}`;
}
