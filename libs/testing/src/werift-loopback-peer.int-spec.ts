import dgram from 'node:dgram';
import dns from 'node:dns';
import net from 'node:net';
import { RTCPeerConnection, type RTCDataChannel } from 'werift';
import {
  createLoopbackAnswer,
  createLoopbackOffer,
  createLoopbackPeerConnection,
  onLoopbackIceCandidate,
  waitForConnected,
  waitForDataChannel,
  waitForDataChannelMessage,
  waitForDataChannelOpen,
  type LoopbackIceCandidate,
} from './werift-loopback-peer';

const LOOPBACK = '127.0.0.1';

interface TrafficAttempt {
  readonly via: 'udp' | 'tcp' | 'dns';
  readonly to: string;
}

/**
 * Records every UDP send, multicast join, TCP connect and DNS lookup made in this process and
 * blocks those not aimed at 127.0.0.1, so even a regression in the helper cannot reach the network.
 * Installed before the peers exist: dgram reads `dns.lookup` when a socket is created.
 */
function guardLoopbackTraffic(): { readonly attempts: TrafficAttempt[]; restore(): void } {
  const attempts: TrafficAttempt[] = [];
  const { send, addMembership } = dgram.Socket.prototype;
  const { connect } = net.Socket.prototype;
  const { lookup } = dns;
  const { lookup: lookupPromise } = dns.promises;

  dgram.Socket.prototype.send = function guardedSend(this: dgram.Socket, ...args: unknown[]): void {
    const to = udpDestination(this, args);
    attempts.push({ via: 'udp', to });
    if (to !== LOOPBACK) throw new Error(`blocked UDP send to ${to}`);
    (send as (...sendArgs: unknown[]) => void).apply(this, args);
  } as typeof send;

  // joining a multicast group (mDNS) makes the kernel announce it on the network
  dgram.Socket.prototype.addMembership = function guardedAddMembership(this: dgram.Socket, group: string): void {
    attempts.push({ via: 'udp', to: group });
    throw new Error(`blocked joining multicast group ${group}`);
  };

  net.Socket.prototype.connect = function guardedConnect(this: net.Socket, ...args: unknown[]): net.Socket {
    const to = tcpDestination(args);
    if (to === undefined) return (connect as (...connectArgs: unknown[]) => net.Socket).apply(this, args);
    attempts.push({ via: 'tcp', to });
    if (to !== LOOPBACK) return this.destroy(new Error(`blocked TCP connect to ${to}`));
    return (connect as (...connectArgs: unknown[]) => net.Socket).apply(this, args);
  } as typeof connect;

  dns.lookup = function guardedLookup(hostname: string, ...rest: unknown[]): void {
    attempts.push({ via: 'dns', to: hostname });
    if (hostname !== LOOPBACK) {
      const callback = rest.find((arg): arg is (error: Error) => void => typeof arg === 'function');
      process.nextTick(() => callback?.(new Error(`blocked DNS lookup of ${hostname}`)));
      return;
    }
    (lookup as (...lookupArgs: unknown[]) => void)(hostname, ...rest);
  } as typeof lookup;

  // werift resolves a STUN or TURN host name through the promise API before sending
  // (werift/lib/ice/src/stun/transaction.js, resolveRequestAddress)
  dns.promises.lookup = async function guardedLookupPromise(hostname: string, ...rest: unknown[]): Promise<unknown> {
    attempts.push({ via: 'dns', to: hostname });
    if (hostname !== LOOPBACK) throw new Error(`blocked DNS lookup of ${hostname}`);
    return (lookupPromise as (...lookupArgs: unknown[]) => Promise<unknown>)(hostname, ...rest);
  } as typeof lookupPromise;

  return {
    attempts,
    restore: () => {
      dgram.Socket.prototype.send = send;
      dgram.Socket.prototype.addMembership = addMembership;
      net.Socket.prototype.connect = connect;
      dns.lookup = lookup;
      dns.promises.lookup = lookupPromise;
    },
  };
}

// mirrors dgram's own argument handling: send(msg, [offset, length,] port[, address][, callback])
function udpDestination(socket: dgram.Socket, args: unknown[]): string {
  const withRange = Boolean(args[4]) || (Boolean(args[3]) && typeof args[3] !== 'function');
  const address = withRange ? args[4] : args[2];
  if (typeof address === 'string' && address !== '') return address;
  try {
    return socket.remoteAddress().address;
  } catch {
    // unconnected and no address: dgram sends to localhost of the socket's family
    return socket.address().family === 'IPv6' ? '::1' : LOOPBACK;
  }
}

// connect(options[, cb]) | connect(port[, host][, cb]) | connect(path[, cb]); undefined for IPC paths
function tcpDestination(args: unknown[]): string | undefined {
  const [first, second] = args;
  const options = Array.isArray(first) ? first[0] : first;
  if (typeof options === 'object' && options !== null) {
    const { host, path } = options as { host?: string; path?: string };
    if (path !== undefined) return undefined;
    return host ?? 'localhost';
  }
  if (typeof options === 'string' && Number.isNaN(Number(options))) return undefined;
  return typeof second === 'string' ? second : 'localhost';
}

function candidateAddress(candidate: string): string | undefined {
  return candidate.replace(/^a=/, '').split(/\s+/)[4];
}

/** In-order delivery to one side, as a signaling server would relay; logs what went over it. */
class InMemoryWire {
  readonly log: string[] = [];
  private tail: Promise<void> = Promise.resolve();

  send(label: string, deliver: () => Promise<void>): void {
    this.log.push(label);
    this.tail = this.tail.then(deliver);
  }

  /** Rejects if any delivery failed. */
  delivered(): Promise<void> {
    return this.tail;
  }
}

// JSON round trip: what crosses the wire must survive serialization unchanged
function overTheWire(candidate: LoopbackIceCandidate): LoopbackIceCandidate {
  return JSON.parse(JSON.stringify(candidate)) as LoopbackIceCandidate;
}

describe('werift loopback peer', () => {
  let peers: RTCPeerConnection[];
  let traffic: ReturnType<typeof guardLoopbackTraffic>;

  beforeEach(() => {
    traffic = guardLoopbackTraffic();
    peers = [];
  });

  afterEach(async () => {
    await Promise.all(peers.map((pc) => pc.close()));
    traffic.restore();
    // every test, not only the dedicated one: a blocked attempt must not pass unnoticed
    expect(traffic.attempts.filter((attempt) => attempt.to !== LOOPBACK)).toEqual([]);
  });

  function loopbackPeer(): RTCPeerConnection {
    const pc = createLoopbackPeerConnection();
    peers.push(pc);
    return pc;
  }

  /** Offerer opens a DataChannel; candidates trickle over in-memory wires; both sides connect. */
  async function connectTrickling(): Promise<{
    offerer: RTCPeerConnection;
    answerer: RTCPeerConnection;
    toAnswerer: InMemoryWire;
    toOfferer: InMemoryWire;
    offerSdp: string;
    answerSdp: string;
    candidates: LoopbackIceCandidate[];
    channel: RTCDataChannel;
    remoteChannel: RTCDataChannel;
  }> {
    const offerer = loopbackPeer();
    const answerer = loopbackPeer();
    const toAnswerer = new InMemoryWire();
    const toOfferer = new InMemoryWire();
    const candidates: LoopbackIceCandidate[] = [];
    onLoopbackIceCandidate(offerer, (candidate) => {
      candidates.push(candidate);
      toAnswerer.send('candidate', () => answerer.addIceCandidate(overTheWire(candidate)));
    });
    onLoopbackIceCandidate(answerer, (candidate) => {
      candidates.push(candidate);
      toOfferer.send('candidate', () => offerer.addIceCandidate(overTheWire(candidate)));
    });
    const remoteChannel = waitForDataChannel(answerer);
    const channel = offerer.createDataChannel('chat');

    const offerSdp = await createLoopbackOffer(offerer, { trickle: true });
    let answerSdp = '';
    toAnswerer.send('offer', async () => {
      answerSdp = await createLoopbackAnswer(answerer, offerSdp, { trickle: true });
      toOfferer.send('answer', () => offerer.setRemoteDescription({ type: 'answer', sdp: answerSdp }));
    });

    await Promise.all([waitForConnected(offerer), waitForConnected(answerer)]);
    await Promise.all([toAnswerer.delivered(), toOfferer.delivered()]);
    await waitForDataChannelOpen(channel);
    return { offerer, answerer, toAnswerer, toOfferer, offerSdp, answerSdp, candidates, channel, remoteChannel: await remoteChannel };
  }

  it('delivers a DataChannel message between two peers over trickled candidates', async () => {
    const { channel, remoteChannel } = await connectTrickling();

    const received = waitForDataChannelMessage(remoteChannel);
    channel.send('hello over loopback');

    expect(String(await received)).toBe('hello over loopback');
  });

  it('signals each SDP before its candidates, and gathers only a 127.0.0.1 host candidate', async () => {
    const { offerSdp, answerSdp, toAnswerer, toOfferer, candidates } = await connectTrickling();

    expect(offerSdp).not.toContain('a=candidate');
    expect(answerSdp).not.toContain('a=candidate');
    expect(toAnswerer.log[0]).toBe('offer');
    expect(toOfferer.log[0]).toBe('answer');
    const gathered = candidates.filter((c) => c.candidate !== '');
    expect(gathered).toHaveLength(2);
    for (const { candidate, sdpMid, sdpMLineIndex } of gathered) {
      expect(candidateAddress(candidate)).toBe(LOOPBACK);
      expect(candidate).toMatch(/ udp .* typ host/);
      expect(typeof sdpMid).toBe('string');
      expect(typeof sdpMLineIndex).toBe('number');
    }
    // end of candidates, once per side
    expect(candidates.filter((c) => c.candidate === '')).toHaveLength(2);
  });

  it('negotiates with complete SDPs when candidates are not trickled', async () => {
    const offerer = loopbackPeer();
    const answerer = loopbackPeer();
    const remoteChannel = waitForDataChannel(answerer);
    const channel = offerer.createDataChannel('chat');

    const offerSdp = await createLoopbackOffer(offerer);
    const answerSdp = await createLoopbackAnswer(answerer, offerSdp);
    await offerer.setRemoteDescription({ type: 'answer', sdp: answerSdp });

    for (const sdp of [offerSdp, answerSdp]) {
      const candidateLines = sdp.split('\r\n').filter((line) => line.startsWith('a=candidate:'));
      expect(candidateLines).toHaveLength(1);
      expect(candidateAddress(candidateLines[0] ?? '')).toBe(LOOPBACK);
    }
    await Promise.all([waitForConnected(offerer), waitForConnected(answerer)]);
    await waitForDataChannelOpen(channel);
    const remote = await remoteChannel;
    const received = waitForDataChannelMessage(channel);
    remote.send('answered');
    expect(String(await received)).toBe('answered');
  });

  it('ignores remote mDNS and LAN candidates instead of resolving or checking them', async () => {
    const offerer = loopbackPeer();
    const answerer = loopbackPeer();
    offerer.createDataChannel('chat');
    const offerSdp = await createLoopbackOffer(offerer);
    const lanLine = 'a=candidate:2 1 udp 2122194687 192.168.1.20 50002 typ host';
    const withLanCandidate = offerSdp.replace('a=candidate:', `${lanLine}\r\na=candidate:`);
    expect(withLanCandidate).toContain(lanLine);
    const answerSdp = await createLoopbackAnswer(answerer, withLanCandidate);
    await answerer.addIceCandidate({
      candidate: 'candidate:1 1 udp 2122260223 3f1a7c2e-9b0d-4c5e-8f6a-2d4b6c8e0a1b.local 50001 typ host',
      sdpMid: '0',
      sdpMLineIndex: 0,
    });
    await answerer.addIceCandidate({ candidate: 'candidate:3 1 udp 2122194687 10.0.0.7 50003 typ host', sdpMid: '0', sdpMLineIndex: 0 });
    await offerer.setRemoteDescription({ type: 'answer', sdp: answerSdp });

    await Promise.all([waitForConnected(offerer), waitForConnected(answerer)]);
    const remoteHosts = answerer.iceTransports.flatMap((t) => t.getRemoteCandidates().map((c) => candidateAddress(c.candidate)));
    expect(remoteHosts).toEqual([LOOPBACK]);
  });

  it('sends and looks up nothing but 127.0.0.1 while negotiating and exchanging data', async () => {
    const { channel, remoteChannel } = await connectTrickling();
    const received = waitForDataChannelMessage(remoteChannel);
    channel.send('ping');
    await received;

    // the guard saw werift's STUN checks, DTLS and SCTP, and the lookup dgram runs before each
    // send (so a host name would have been stopped there), so it was hooked in...
    expect(traffic.attempts.filter((attempt) => attempt.via === 'udp').length).toBeGreaterThan(0);
    expect(traffic.attempts.filter((attempt) => attempt.via === 'dns').length).toBeGreaterThan(0);
    // ...and every one of them stayed on loopback (no STUN server, no mDNS, no DNS)
    expect(traffic.attempts.filter((attempt) => attempt.to !== LOOPBACK)).toEqual([]);
  });

  it('refuses to negotiate on a plain werift peer, which would query a public STUN server', async () => {
    const plain = new RTCPeerConnection();
    peers.push(plain);

    await expect(createLoopbackOffer(plain)).rejects.toThrow('needs a peer from createLoopbackPeerConnection()');
  });
});
