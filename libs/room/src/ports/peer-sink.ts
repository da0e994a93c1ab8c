import type { SerializedFrame } from './serialized-frame';

/**
 * Where frames for one local peer go. The room logic never sees a socket, only
 * this sink (LiveKit's MessageSink): the gateway implements it over `ws`.
 */
export interface PeerSink {
  /** Sends one serialized server frame (text or its UTF-8 bytes) as a text frame. */
  send(frame: SerializedFrame): void;
  /** The peer resumed on another socket: this one must end without a departure. */
  superseded?(): void;
}
