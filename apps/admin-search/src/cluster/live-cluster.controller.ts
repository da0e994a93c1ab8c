import { Controller, Get, UseGuards } from '@nestjs/common';
import { RedisRoomDirectory } from '@sg/cluster';
import { AdminApiKeyGuard } from '../auth/admin-api-key.guard';
import { LiveNodesService } from './live-nodes.service';

export interface LiveRoomPeer {
  peer_id: string;
  user: string | null;
  node: string;
  joined_at: number;
}

/** Live rooms and gateway nodes, read from the cluster's Redis state (PROTOCOL section 3). */
@Controller('api')
@UseGuards(AdminApiKeyGuard)
export class LiveClusterController {
  constructor(
    private readonly directory: RedisRoomDirectory,
    private readonly nodesView: LiveNodesService,
  ) {}

  @Get('rooms')
  async rooms(): Promise<Array<{ room_id: string; peers: LiveRoomPeer[] }>> {
    const rooms = await this.directory.listRooms();
    return rooms.map(({ room, members }) => ({
      room_id: room,
      peers: members
        .sort((a, b) => a.joinedAt - b.joinedAt)
        .map((member) => ({ peer_id: member.peerId, user: member.user, node: member.node, joined_at: member.joinedAt / 1000 })),
    }));
  }

  @Get('nodes')
  nodes() {
    return this.nodesView.liveNodes();
  }
}
