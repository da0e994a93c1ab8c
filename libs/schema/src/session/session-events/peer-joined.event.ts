import { IsNotEmpty, IsString, MaxLength } from 'class-validator';
import { Nullable, Optional } from '../../client-messages/optional';
import type { PeerId } from '../../ids';
import { LIMITS } from '../../limits';
import { SessionEventBase } from './session-event-base';

/** A peer was admitted to the room: its profile for the session document (`client_*`). */
export class PeerJoinedEvent extends SessionEventBase {
  readonly kind = 'peer-joined' as const;

  @IsString()
  @IsNotEmpty()
  @MaxLength(LIMITS.peerIdMaxLength)
  peer!: PeerId;

  /** The token's subject; null for an anonymous peer. */
  @Nullable()
  @IsString({ message: '$property must be a string or null' })
  @MaxLength(LIMITS.userMaxLength)
  user!: string | null;

  /**
   * `ip:port` as the gateway saw it, IPv6 as `[::1]:port`. Not parsed here: it is
   * diagnostics only, and the gateway writes `unknown:0` for a socket without an address.
   */
  @IsString()
  @IsNotEmpty()
  @MaxLength(LIMITS.remoteAddrMaxLength)
  remoteAddr!: string;

  @Nullable()
  @IsString({ message: '$property must be a string or null' })
  @MaxLength(LIMITS.userAgentMaxLength)
  userAgent!: string | null;

  @Optional()
  @IsString()
  @MaxLength(LIMITS.nameMaxLength)
  name?: string;
}
