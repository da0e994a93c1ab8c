import { IsIn, IsString, MaxLength } from 'class-validator';
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
import { LIMITS } from '../../limits';
import { PeerReportEventBase } from './peer-report-event-base';

/** RTCDtlsTransport states (`RTCDtlsTransportState`). */
export const DTLS_STATES = ['new', 'connecting', 'connected', 'closed', 'failed'] as const;
export type DtlsState = (typeof DTLS_STATES)[number];

/** A peer's `state` message: its RTCPeerConnection state with peer `to`. */
export class StateReportedEvent extends PeerReportEventBase {
  readonly kind = 'state' as const;

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

  /**
   * The DTLS transport's state: only the gateway's own probe peer reports it (clients'
   * `state` messages have no such field), for the timeline of a probe session.
   */
  @Optional()
  @IsIn(DTLS_STATES)
  dtlsState?: DtlsState;
}
