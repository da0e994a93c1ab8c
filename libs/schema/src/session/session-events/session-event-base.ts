import { IsNumber, IsPositive, IsString, Matches } from 'class-validator';
import { NODE_ID_PATTERN, ROOM_ID_PATTERN, type NodeId, type RoomId } from '../../ids';

/** Fields every session event carries. */
export abstract class SessionEventBase {
  /** Unix time in milliseconds at the gateway. */
  @IsNumber({ allowNaN: false, allowInfinity: false })
  @IsPositive()
  t!: number;

  @IsString()
  @Matches(ROOM_ID_PATTERN, { message: `$property must match ${ROOM_ID_PATTERN.source}` })
  room!: RoomId;

  /** The gateway that wrote the event. */
  @IsString()
  @Matches(NODE_ID_PATTERN, { message: `$property must match ${NODE_ID_PATTERN.source}` })
  node!: NodeId;
}
