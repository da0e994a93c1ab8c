import { Injectable, Logger } from '@nestjs/common';
import { RoomDirectory } from '@sg/room';
import type { PeerId, RoomId } from '@sg/schema';
import { GatewayConfig } from '../config/gateway-config';
import { CLOSE_CODE } from '../signaling/close-codes';
import { DepartureService } from '../signaling/departure.service';
import { SignalingGateway } from '../signaling/signaling.gateway';

/**
 * Operator actions on this node's peers (PROTOCOL section 3): a kicked peer's seat and
 * resume token are gone before its socket closes with 4000, so it cannot resume on any
 * node, and its room hears `peer-left` with `kicked` once.
 */
@Injectable()
export class NodeOperatorService {
  private readonly logger = new Logger(NodeOperatorService.name);

  constructor(
    private readonly config: GatewayConfig,
    private readonly gateway: SignalingGateway,
    private readonly directory: RoomDirectory,
    private readonly departures: DepartureService,
  ) {}

  /** Removes one peer this node holds, connected or waiting to resume; false when it holds no such peer. */
  async kickPeer(room: RoomId, peerId: PeerId): Promise<boolean> {
    const connected = this.gateway.findPeer(room, peerId);
    if (!connected) {
      // a peer whose socket was lost keeps its seat here for the resume window: that seat goes too
      const member = await this.directory.member(room, peerId);
      if (!member || member.node !== this.config.nodeId) return false;
    }
    if (connected) {
      // its departure is the kick's: the socket's close must not announce a second one
      connected.member = null;
    }
    // unconditional: the seat, its resume token, hold and buffer go, whichever connection holds them
    await this.departures.leave(room, peerId, 'kicked');
    connected?.close(CLOSE_CODE.removedByOperator, 'removed by an operator');
    this.logger.warn(`kicked peer ${peerId} of room ${room} at an operator's request`);
    return true;
  }

  /** Removes every peer of the room this node holds; returns how many. */
  async closeRoom(room: RoomId): Promise<number> {
    const peers = new Set<PeerId>(this.gateway.peersOfRoom(room).map((peer) => peer.peerId));
    const members = await this.directory.members(room);
    for (const member of members) if (member.node === this.config.nodeId) peers.add(member.peerId);
    let kicked = 0;
    for (const peerId of peers) if (await this.kickPeer(room, peerId)) kicked++;
    return kicked;
  }
}
