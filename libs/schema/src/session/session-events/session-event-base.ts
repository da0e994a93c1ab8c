import { IsNumber, IsPositive, IsString, Matches } from 'class-validator';
import { Optional } from '../../client-messages/optional';
import { NODE_ID_PATTERN, ROOM_ID_PATTERN, type NodeId, type RoomId } from '../../ids';
import { TRACEPARENT_PATTERN } from '../../tracing/traceparent';

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

  /**
   * The session's trace when tracing is on and the trace is sampled: its root span as a W3C
   * `traceparent`, so the indexer's write joins the trace and the document gets its `trace_id`
   * (PROTOCOL section 2). Absent otherwise; an indexer that predates it drops it like any unknown field.
   */
  @Optional()
  @IsString()
  @Matches(TRACEPARENT_PATTERN, { message: '$property must be a W3C traceparent (00-<32 hex>-<16 hex>-<2 hex>)' })
  traceparent?: string;
}
