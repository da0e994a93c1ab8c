/**
 * Signal bodies with a send timestamp inside, so frames stay valid for every server:
 * an SDP gets a trailing `a=x-ts:STEP.NS` attribute line, a candidate an
 * `x-ts STEP.NS` extension attribute (RFC 8839 allows extension pairs at the end).
 * STEP tells a late frame of an earlier step from the current one; NS is
 * process.hrtime.bigint() minus the load process's start, so it fits a double.
 */

export type SignalKind = 'offer' | 'candidate';

/** What the receiver looks for; the last occurrence in a frame is the marker. */
export const MARKER = 'x-ts';
const MARKER_BYTES = Buffer.from(MARKER);

/** Placeholder replaced by `STEP.NS` when a frame is sent. */
export const STAMP_PLACEHOLDER = '\u0000STAMP\u0000';

const AUDIO_CODECS = [
  'a=rtpmap:111 opus/48000/2',
  'a=rtcp-fb:111 transport-cc',
  'a=fmtp:111 minptime=10;useinbandfec=1',
  'a=rtpmap:63 red/48000/2',
  'a=fmtp:63 111/111',
  'a=rtpmap:9 G722/8000',
  'a=rtpmap:0 PCMU/8000',
  'a=rtpmap:8 PCMA/8000',
  'a=rtpmap:13 CN/8000',
  'a=rtpmap:110 telephone-event/48000',
  'a=rtpmap:126 telephone-event/8000',
];

const VIDEO_CODECS = [96, 98, 100, 102, 104, 106, 108].flatMap((pt, i) => [
  `a=rtpmap:${pt} ${['VP8', 'VP9', 'H264', 'H264', 'AV1', 'H264', 'H264'][i]}/90000`,
  `a=rtcp-fb:${pt} goog-remb`,
  `a=rtcp-fb:${pt} transport-cc`,
  `a=rtcp-fb:${pt} ccm fir`,
  `a=rtcp-fb:${pt} nack`,
  `a=rtcp-fb:${pt} nack pli`,
  `a=rtpmap:${pt + 1} rtx/90000`,
  `a=fmtp:${pt + 1} apt=${pt}`,
]);

/** A Chrome-like audio+video offer of about 3 KB, ending with the timestamp line. */
export function offerSdp(): string {
  const lines = [
    'v=0',
    'o=- 4611731400430051336 2 IN IP4 127.0.0.1',
    's=-',
    't=0 0',
    'a=group:BUNDLE 0 1',
    'a=extmap-allow-mixed',
    'a=msid-semantic: WMS stream-bench',
    'm=audio 9 UDP/TLS/RTP/SAVPF 111 63 9 0 8 13 110 126',
    'c=IN IP4 0.0.0.0',
    'a=rtcp:9 IN IP4 0.0.0.0',
    'a=ice-ufrag:EsAw',
    'a=ice-pwd:P2uYro0UCOQ4zxjKXaWCBui1',
    'a=ice-options:trickle',
    'a=fingerprint:sha-256 D2:FA:0E:C3:22:59:5E:14:95:69:92:3D:13:B4:84:24:2C:C2:A2:C0:3E:FD:34:8E:5E:EA:6F:AF:52:CE:E6:0F',
    'a=setup:actpass',
    'a=mid:0',
    'a=extmap:1 urn:ietf:params:rtp-hdrext:ssrc-audio-level',
    'a=extmap:2 http://www.webrtc.org/experiments/rtp-hdrext/abs-send-time',
    'a=extmap:3 http://www.ietf.org/id/draft-holmer-rmcat-transport-wide-cc-extensions-01',
    'a=extmap:4 urn:ietf:params:rtp-hdrext:sdes:mid',
    'a=sendrecv',
    'a=msid:stream-bench track-audio',
    'a=rtcp-mux',
    ...AUDIO_CODECS,
    'a=ssrc:1001 cname:benchcname',
    'a=ssrc:1001 msid:stream-bench track-audio',
    'm=video 9 UDP/TLS/RTP/SAVPF 96 97 98 99 100 101 102 103 104 105 106 107 108 109',
    'c=IN IP4 0.0.0.0',
    'a=rtcp:9 IN IP4 0.0.0.0',
    'a=ice-ufrag:EsAw',
    'a=ice-pwd:P2uYro0UCOQ4zxjKXaWCBui1',
    'a=ice-options:trickle',
    'a=fingerprint:sha-256 D2:FA:0E:C3:22:59:5E:14:95:69:92:3D:13:B4:84:24:2C:C2:A2:C0:3E:FD:34:8E:5E:EA:6F:AF:52:CE:E6:0F',
    'a=setup:actpass',
    'a=mid:1',
    'a=extmap:14 urn:ietf:params:rtp-hdrext:toffset',
    'a=extmap:2 http://www.webrtc.org/experiments/rtp-hdrext/abs-send-time',
    'a=extmap:13 urn:3gpp:video-orientation',
    'a=extmap:3 http://www.ietf.org/id/draft-holmer-rmcat-transport-wide-cc-extensions-01',
    'a=sendrecv',
    'a=msid:stream-bench track-video',
    'a=rtcp-mux',
    'a=rtcp-rsize',
    ...VIDEO_CODECS,
    'a=ssrc-group:FID 2001 2002',
    'a=ssrc:2001 cname:benchcname',
    'a=ssrc:2002 cname:benchcname',
    `a=${MARKER}:${STAMP_PLACEHOLDER}`,
  ];
  return lines.join('\r\n') + '\r\n';
}

/** A server-reflexive candidate line of about 200 B, ending with the timestamp extension. */
export function candidateLine(): string {
  return (
    'candidate:842163049 1 udp 1677729535 203.0.113.7 46154 typ srflx raddr 10.0.0.2 rport 46154 ' +
    `generation 0 ufrag EsAw network-id 1 network-cost 10 ${MARKER} ${STAMP_PLACEHOLDER}`
  );
}

/** A frame split around the placeholder: send `head + stamp + tail`. */
export interface FrameTemplate {
  readonly head: string;
  readonly tail: string;
  /** Bytes on the wire with a typical stamp. */
  readonly bytes: number;
}

/** Serializes `frame` once and splits it at the placeholder. */
export function frameTemplate(frame: unknown): FrameTemplate {
  const json = JSON.stringify(frame);
  // JSON escapes the NULs: split on the escaped form
  const escaped = JSON.stringify(STAMP_PLACEHOLDER).slice(1, -1);
  const at = json.indexOf(escaped);
  if (at < 0 || json.indexOf(escaped, at + 1) >= 0) throw new Error('frame template needs exactly one stamp');
  const head = json.slice(0, at);
  const tail = json.slice(at + escaped.length);
  return { head, tail, bytes: Buffer.byteLength(head + tail) + '12.123456789012'.length };
}

/** The stamp found in a received frame, or undefined for a frame without one. */
export interface Stamp {
  readonly step: number;
  readonly ns: number;
}

/** Finds the last marker in a frame and reads `STEP.NS` after it (one separator byte). */
export function readStamp(frame: Buffer): Stamp | undefined {
  const at = frame.lastIndexOf(MARKER_BYTES);
  if (at < 0) return undefined;
  let i = at + MARKER_BYTES.length + 1;
  let step = 0;
  for (; i < frame.length; i++) {
    const c = frame[i];
    if (c < 48 || c > 57) break;
    step = step * 10 + (c - 48);
  }
  if (frame[i] !== 46 /* . */) return undefined;
  let ns = 0;
  for (i++; i < frame.length; i++) {
    const c = frame[i];
    if (c < 48 || c > 57) break;
    ns = ns * 10 + (c - 48);
  }
  return { step, ns };
}
