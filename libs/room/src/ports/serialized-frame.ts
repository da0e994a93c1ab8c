/**
 * A serialized server frame: its JSON text, or that text's UTF-8 bytes (a relayed signal
 * built from the bytes its sender sent). Either way the peer gets one text frame.
 */
export type SerializedFrame = string | Uint8Array;

const utf8 = new TextDecoder();

/** The JSON text of a frame, for what carries text (another node's bus, a resume buffer). */
export function frameText(frame: SerializedFrame): string {
  return typeof frame === 'string' ? frame : utf8.decode(frame);
}
