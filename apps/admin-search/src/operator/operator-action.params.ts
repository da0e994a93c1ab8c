import { NODE_ID_PATTERN, ROOM_ID_PATTERN } from '@sg/schema';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, Matches, Max, Min } from 'class-validator';
import { OPERATOR_ACTION_LOG_MAX } from '@sg/cluster';

const ROOM_MESSAGE = { message: `room must match ${ROOM_ID_PATTERN.source}` };

export class RoomParams {
  @Matches(ROOM_ID_PATTERN, ROOM_MESSAGE)
  room!: string;
}

export class RoomPeerParams {
  @Matches(ROOM_ID_PATTERN, ROOM_MESSAGE)
  room!: string;

  @Matches(/^[\x21-\x7e]{1,128}$/, { message: 'peer must be 1 to 128 printable ASCII characters' })
  peer!: string;
}

export class NodeParams {
  @Matches(NODE_ID_PATTERN, { message: 'node must be 1 to 128 of A-Z a-z 0-9 _ . : @ -' })
  node!: string;
}

/** `GET /api/actions?limit=`: newest first, 100 by default. */
export class ListActionsQuery {
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(OPERATOR_ACTION_LOG_MAX)
  limit?: number;
}
