import { Controller, Type, UsePipes, ValidationPipe } from '@nestjs/common';
import { MessagePattern, Payload, RpcException } from '@nestjs/microservices';
import { DrainService } from '../drain/drain.service';
import { CloseRoomReply, CloseRoomRequest, DrainReply, KickPeerReply, KickPeerRequest, OPERATOR_PATTERNS, PeerId, RoomId } from '@sg/schema';
import { DrainState } from '@sg/platform';
import { NodeOperatorService } from './node-operator.service';

/** Payloads are checked like every other input; a bad one is an RPC error, never an action. */
const validPayload = new ValidationPipe({
  whitelist: true,
  forbidNonWhitelisted: true,
  exceptionFactory: (errors) => new RpcException(`invalid operator request: ${errors.map((error) => error.property).join(', ')}`),
});

/**
 * The operator actions addressed to this node over the Nest Redis transport (PROTOCOL
 * section 3). The patterns carry the node id (OPERATOR_PATTERNS), and a decorator's
 * pattern is fixed when its class is declared, so the controller is declared per node.
 */
export function nodeOperatorController(nodeId: string): Type<unknown> {
  @Controller()
  @UsePipes(validPayload)
  class NodeOperatorController {
    constructor(
      private readonly operator: NodeOperatorService,
      private readonly drainService: DrainService,
      private readonly drain: DrainState,
    ) {}

    @MessagePattern(OPERATOR_PATTERNS.kickPeer(nodeId))
    async kickPeer(@Payload() request: KickPeerRequest): Promise<KickPeerReply> {
      return { kicked: await this.operator.kickPeer(request.room as RoomId, request.peer as PeerId) };
    }

    @MessagePattern(OPERATOR_PATTERNS.closeRoom(nodeId))
    async closeRoom(@Payload() request: CloseRoomRequest): Promise<CloseRoomReply> {
      return { kicked: await this.operator.closeRoom(request.room as RoomId) };
    }

    @MessagePattern(OPERATOR_PATTERNS.drain(nodeId))
    async drainNode(): Promise<DrainReply> {
      await this.drainService.drainByOperator();
      return { draining: this.drain.isDraining };
    }

    @MessagePattern(OPERATOR_PATTERNS.undrain(nodeId))
    async undrainNode(): Promise<DrainReply> {
      await this.drainService.undrain();
      return { draining: this.drain.isDraining };
    }
  }
  return NodeOperatorController;
}
