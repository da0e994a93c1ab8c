import { IsIn, IsNotEmpty, IsString, MaxLength } from 'class-validator';
import { Optional } from '../../client-messages/optional';
import {
  CONNECTION_STATES,
  ICE_CONNECTION_STATES,
  ICE_GATHERING_STATES,
  SIGNALING_STATES,
  type ConnectionState,
  type IceConnectionState,
  type IceGatheringState,
  type SignalingState,
} from '../../client-messages/state.message';
import type { PeerId } from '../../ids';
import { LIMITS } from '../../limits';
import { SessionEventBase } from './session-event-base';

/** A peer's `state` message: its RTCPeerConnection state with peer `to`. */
export class StateReportedEvent extends SessionEventBase {
  readonly kind = 'state' as const;

  @IsString()
  @IsNotEmpty()
  @MaxLength(LIMITS.peerIdMaxLength)
  peer!: PeerId;

  @Optional()
  @IsString()
  @IsNotEmpty()
  @MaxLength(LIMITS.peerIdMaxLength)
  to?: PeerId;

  @Optional()
  @IsIn(CONNECTION_STATES)
  connectionState?: ConnectionState;

  @Optional()
  @IsIn(ICE_CONNECTION_STATES)
  iceConnectionState?: IceConnectionState;

  @Optional()
  @IsIn(SIGNALING_STATES)
  signalingState?: SignalingState;

  @Optional()
  @IsIn(ICE_GATHERING_STATES)
  iceGatheringState?: IceGatheringState;

  @Optional()
  @IsString()
  @MaxLength(LIMITS.stateReasonMaxLength)
  reason?: string;
}
