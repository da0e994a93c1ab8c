import { IsIn, IsString, MaxLength } from 'class-validator';
import { Optional } from './optional';
import { LIMITS } from '../limits';
import { AddressedMessageBase } from './client-message-base';

// The browser's RTCPeerConnection enum strings.
export const CONNECTION_STATES = ['new', 'connecting', 'connected', 'disconnected', 'failed', 'closed'] as const;
export const ICE_CONNECTION_STATES = [
  'new',
  'checking',
  'connected',
  'completed',
  'disconnected',
  'failed',
  'closed',
] as const;
export const SIGNALING_STATES = [
  'stable',
  'have-local-offer',
  'have-remote-offer',
  'have-local-pranswer',
  'have-remote-pranswer',
  'closed',
] as const;
export const ICE_GATHERING_STATES = ['new', 'gathering', 'complete'] as const;

export type ConnectionState = (typeof CONNECTION_STATES)[number];
export type IceConnectionState = (typeof ICE_CONNECTION_STATES)[number];
export type SignalingState = (typeof SIGNALING_STATES)[number];
export type IceGatheringState = (typeof ICE_GATHERING_STATES)[number];

/** The client's RTCPeerConnection state with peer `to`; diagnostics only, never relayed. */
export class StateMessage extends AddressedMessageBase {
  readonly type = 'state' as const;

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
