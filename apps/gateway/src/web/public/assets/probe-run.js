// One probe (PROTOCOL section 1, "The probe peer"): join a room, offer to the gateway's own
// peer with a data channel, trickle, wait for the connection, time round trips over the
// echo, read the selected pair, report it all, say bye. Every probe is its own connection,
// so it is its own session, with its own id.
import { sessionIdFor } from './session-id.js';

const CONNECT_TIMEOUT_MS = 15_000;
const ECHO_ROUNDS = 5;
const ECHO_TIMEOUT_MS = 3_000;

/** The three probes the page runs: which ICE servers each may use, and whether only relays count. */
export const PROBE_KINDS = [
  { id: 'any', label: 'Any path', relayOnly: false, acceptsUrl: () => true },
  { id: 'relay-udp', label: 'Relay over UDP', relayOnly: true, acceptsUrl: (url) => /^turn:/i.test(url) && !/[?&]transport=tcp/i.test(url) },
  { id: 'relay-tcp', label: 'Relay over TCP/TLS', relayOnly: true, acceptsUrl: (url) => /^turns:/i.test(url) || (/^turn:/i.test(url) && /[?&]transport=tcp/i.test(url)) },
];

/** Admission close codes (PROTOCOL section 1) in words a user can act on. */
const CLOSE_REASONS = {
  4400: 'the room name was refused',
  4401: 'the access token is missing or not valid',
  4403: 'this page or room is not allowed for your token',
  4409: 'the room is full',
  4429: 'too many attempts from your network: wait a minute',
  1013: 'the service is busy: try again shortly',
  1001: 'the service is restarting: try again shortly',
};

/**
 * Runs one probe. Resolves with `{ status: 'pass' | 'fail' | 'skipped', detail, pair, rttMs, peerId, sessionId }`;
 * never rejects.
 */
export async function runProbe(kind, { room, token }) {
  const signaling = await Signaling.open(room, token).catch((error) => error);
  if (signaling instanceof Error) return { status: 'fail', detail: signaling.message };
  const peerId = signaling.welcome.peerId;
  const base = { peerId, sessionId: await sessionIdFor(room, peerId, 'probe') };
  const iceServers = serversFor(kind, signaling.welcome.iceServers);
  if (kind.relayOnly && iceServers.length === 0) {
    signaling.bye();
    return { status: 'skipped', detail: `no ${kind.label.toLowerCase()} is configured for this service`, peerId, sessionId: null };
  }
  const pc = new RTCPeerConnection({ iceServers, iceTransportPolicy: kind.relayOnly ? 'relay' : 'all' });
  try {
    return { ...base, ...(await negotiate(pc, signaling)) };
  } catch (error) {
    return { ...base, status: 'fail', detail: error.message };
  } finally {
    signaling.bye();
    pc.close();
  }
}

async function negotiate(pc, signaling) {
  const channel = pc.createDataChannel('echo');
  const report = () =>
    signaling.send({ type: 'state', to: 'probe', connectionState: pc.connectionState, iceConnectionState: pc.iceConnectionState, iceGatheringState: pc.iceGatheringState });
  pc.addEventListener('connectionstatechange', report);
  pc.addEventListener('iceconnectionstatechange', report);
  pc.addEventListener('icecandidate', ({ candidate }) => {
    signaling.send(
      candidate
        ? { type: 'candidate', to: 'probe', candidate: candidate.candidate, sdpMid: candidate.sdpMid, sdpMLineIndex: candidate.sdpMLineIndex }
        : { type: 'candidate', to: 'probe', candidate: '' },
    );
  });
  signaling.onCandidate = (frame) => {
    if (frame.candidate !== '') pc.addIceCandidate({ candidate: frame.candidate, sdpMid: frame.sdpMid, sdpMLineIndex: frame.sdpMLineIndex }).catch(() => undefined);
  };
  const offer = await pc.createOffer();
  await pc.setLocalDescription(offer);
  signaling.send({ type: 'offer', to: 'probe', sdp: offer.sdp });
  const answer = await signaling.answer();
  await pc.setRemoteDescription({ type: 'answer', sdp: answer.sdp });

  const outcome = await connected(pc, channel);
  if (outcome !== 'connected') {
    if (outcome === 'timeout') {
      // the browser's own states stay as they are; the reason says the page stopped waiting
      signaling.send({ type: 'state', to: 'probe', connectionState: pc.connectionState, iceConnectionState: pc.iceConnectionState, reason: `connectivity test gave up after ${CONNECT_TIMEOUT_MS / 1000} s` });
      return { status: 'fail', detail: `no connection within ${CONNECT_TIMEOUT_MS / 1000} s` };
    }
    return { status: 'fail', detail: 'could not connect: every path was tried and failed' };
  }
  const rttMs = await echoRoundTrip(channel);
  const pair = await selectedPair(pc);
  signaling.send({
    type: 'stats',
    to: 'probe',
    report: {
      ...(rttMs !== null ? { rttMs } : {}),
      ...(pair ? { localCandidateType: pair.localType, remoteCandidateType: pair.remoteType, protocol: pair.protocol } : {}),
      ...(pair?.relayProtocol ? { relayProtocol: pair.relayProtocol } : {}),
    },
  });
  return { status: 'pass', detail: pair ? describePair(pair) : '', pair, rttMs };
}

/** Resolves 'connected' once the transport and the data channel are both up, 'failed' or 'timeout' otherwise. */
function connected(pc, channel) {
  return new Promise((resolve) => {
    const timer = setTimeout(() => finish('timeout'), CONNECT_TIMEOUT_MS);
    const check = () => {
      if (pc.connectionState === 'failed' || pc.iceConnectionState === 'failed') finish('failed');
      else if (pc.connectionState === 'connected' && channel.readyState === 'open') finish('connected');
    };
    const finish = (outcome) => {
      clearTimeout(timer);
      pc.removeEventListener('connectionstatechange', check);
      pc.removeEventListener('iceconnectionstatechange', check);
      channel.removeEventListener('open', check);
      resolve(outcome);
    };
    pc.addEventListener('connectionstatechange', check);
    pc.addEventListener('iceconnectionstatechange', check);
    channel.addEventListener('open', check);
    check();
  });
}

/** The median of a few round trips over the probe's echo, in ms; null when no echo came back. */
async function echoRoundTrip(channel) {
  const samples = [];
  for (let seq = 0; seq < ECHO_ROUNDS; seq++) {
    const sample = await new Promise((resolve) => {
      const sentAt = performance.now();
      const timer = setTimeout(() => done(null), ECHO_TIMEOUT_MS);
      const onMessage = (event) => {
        if (event.data === `echo ${seq}`) done(performance.now() - sentAt);
      };
      const done = (value) => {
        clearTimeout(timer);
        channel.removeEventListener('message', onMessage);
        resolve(value);
      };
      channel.addEventListener('message', onMessage);
      channel.send(`echo ${seq}`);
    });
    if (sample !== null) samples.push(sample);
  }
  if (samples.length === 0) return null;
  samples.sort((a, b) => a - b);
  return Math.round(samples[Math.floor(samples.length / 2)] * 100) / 100;
}

/** The pair ICE selected, from the browser's side. */
async function selectedPair(pc) {
  const stats = await pc.getStats();
  let pairReport = null;
  stats.forEach((report) => {
    if (report.type === 'transport' && report.selectedCandidatePairId) pairReport = stats.get(report.selectedCandidatePairId) ?? pairReport;
  });
  if (!pairReport) stats.forEach((report) => {
    if (report.type === 'candidate-pair' && report.nominated && report.state === 'succeeded') pairReport = report;
  });
  if (!pairReport) return null;
  const local = stats.get(pairReport.localCandidateId);
  const remote = stats.get(pairReport.remoteCandidateId);
  if (!local || !remote) return null;
  return { localType: local.candidateType, remoteType: remote.candidateType, protocol: local.protocol, relayProtocol: local.relayProtocol ?? null };
}

export function describePair(pair) {
  const local = pair.localType === 'relay' && pair.relayProtocol ? `${pair.localType}/${pair.relayProtocol}` : `${pair.localType}/${pair.protocol}`;
  return `${local} -> ${pair.remoteType}/${pair.protocol}`;
}

function serversFor(kind, servers) {
  return servers
    .map((server) => ({ ...server, urls: (Array.isArray(server.urls) ? server.urls : [server.urls]).filter((url) => kind.relayOnly ? kind.acceptsUrl(url) : true) }))
    .filter((server) => server.urls.length > 0);
}

/** The signaling socket of one probe. */
class Signaling {
  static open(room, token) {
    const base = `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/ws`;
    const query = new URLSearchParams({ room, ...(token ? { token } : {}) });
    const ws = new WebSocket(`${base}?${query}`);
    return new Promise((resolve, reject) => {
      const signaling = new Signaling(ws);
      ws.addEventListener('message', (event) => {
        const frame = JSON.parse(event.data);
        if (frame.type === 'welcome' && !signaling.welcome) {
          signaling.welcome = frame;
          resolve(signaling);
        } else signaling.receive(frame);
      });
      ws.addEventListener('close', (event) => {
        signaling.closed(event);
        if (!signaling.welcome) reject(new Error(`could not join: ${CLOSE_REASONS[event.code] ?? `the service closed the connection (${event.code})`}`));
      });
      ws.addEventListener('error', () => undefined);
    });
  }

  constructor(ws) {
    this.ws = ws;
    this.welcome = null;
    this.onCandidate = () => undefined;
    this.waitingForAnswer = null;
  }

  send(frame) {
    if (this.ws.readyState === WebSocket.OPEN) this.ws.send(JSON.stringify(frame));
  }

  answer() {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('the service did not answer the test offer')), CONNECT_TIMEOUT_MS);
      this.waitingForAnswer = {
        resolve: (frame) => (clearTimeout(timer), resolve(frame)),
        reject: (error) => (clearTimeout(timer), reject(error)),
      };
    });
  }

  receive(frame) {
    if (frame.from === 'probe' && frame.type === 'answer') this.waitingForAnswer?.resolve(frame);
    else if (frame.from === 'probe' && frame.type === 'candidate') this.onCandidate(frame);
    else if (frame.type === 'error' && frame.code === 'probe-unavailable') this.waitingForAnswer?.reject(new Error('the service is busy running other tests: try again in a minute'));
    else if (frame.type === 'error') this.waitingForAnswer?.reject(new Error(`the service refused the test: ${frame.message}`));
  }

  closed(event) {
    this.waitingForAnswer?.reject(new Error(`the connection to the service closed (${event.code})`));
  }

  bye() {
    this.send({ type: 'bye' });
  }
}
