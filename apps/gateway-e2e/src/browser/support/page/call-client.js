// A WebRTC app as a browser page runs it, for the browser scenarios: it joins a room over
// the gateway's WebSocket, calls or answers one peer with an RTCPeerConnection, trickles,
// and reports its states and a getStats() summary the way the protocol asks a client to.
// The test drives it through page.evaluate; nothing here decides a test's outcome.
'use strict';

class CallClient {
  /** Joins `wsUrl` and resolves once `welcome` came. */
  static async join(wsUrl, options = {}) {
    await allowLocalCandidates();
    const client = new CallClient(options);
    await client.open(wsUrl);
    return client;
  }

  constructor(options) {
    this.options = { autoAnswer: true, relayOnly: false, sendCandidates: true, acceptCandidates: true, reportStates: true, ...options };
    this.frames = [];
    this.pc = null;
    this.remote = null;
    this.welcome = null;
    this.states = [];
    this.channel = null;
  }

  open(wsUrl) {
    this.ws = new WebSocket(wsUrl);
    return new Promise((resolve, reject) => {
      this.ws.addEventListener('message', (event) => {
        const frame = JSON.parse(event.data);
        this.frames.push(frame);
        if (frame.type === 'welcome' && !this.welcome) {
          this.welcome = frame;
          resolve();
        } else this.receive(frame).catch((error) => this.frames.push({ type: 'page-error', message: String(error) }));
      });
      this.ws.addEventListener('close', (event) => {
        this.closeCode = event.code;
        if (!this.welcome) reject(new Error(`closed ${event.code} before welcome`));
      });
    });
  }

  get peerId() {
    return this.welcome.peerId;
  }

  send(frame) {
    if (this.ws.readyState === WebSocket.OPEN) this.ws.send(JSON.stringify(frame));
  }

  /** The peer connection with `remote`, made on first use; TURN only when the call is relay-only. */
  connection(remote) {
    if (this.pc) return this.pc;
    this.remote = remote;
    const iceServers = this.options.relayOnly ? this.welcome.iceServers : this.welcome.iceServers.filter((server) => [].concat(server.urls).some((url) => url.startsWith('stun')));
    const pc = new RTCPeerConnection({ iceServers, iceTransportPolicy: this.options.relayOnly ? 'relay' : 'all' });
    this.pc = pc;
    pc.addEventListener('icecandidate', ({ candidate }) => {
      if (!this.options.sendCandidates) return;
      this.send(candidate ? { type: 'candidate', to: remote, candidate: candidate.candidate, sdpMid: candidate.sdpMid, sdpMLineIndex: candidate.sdpMLineIndex } : { type: 'candidate', to: remote, candidate: '' });
    });
    const report = () => {
      this.states.push({ connectionState: pc.connectionState, iceConnectionState: pc.iceConnectionState });
      if (this.options.reportStates && pc.connectionState !== 'closed') {
        this.send({ type: 'state', to: remote, connectionState: pc.connectionState, iceConnectionState: pc.iceConnectionState });
      }
    };
    pc.addEventListener('connectionstatechange', report);
    pc.addEventListener('iceconnectionstatechange', report);
    pc.addEventListener('datachannel', ({ channel }) => (this.channel = channel));
    return pc;
  }

  /** Offers to `remote`: the first offer, an ICE restart, or a renegotiation after addVideo(). */
  async call(remote, { iceRestart = false } = {}) {
    const pc = this.connection(remote);
    if (!this.channel) this.channel = pc.createDataChannel('chat');
    const offer = await pc.createOffer({ iceRestart });
    await pc.setLocalDescription(offer);
    this.send({ type: 'offer', to: remote, sdp: offer.sdp });
  }

  /** Adds a video track (a canvas stream, as screen share would) and renegotiates. */
  async addVideo() {
    const canvas = document.createElement('canvas');
    canvas.width = 160;
    canvas.height = 120;
    const context = canvas.getContext('2d');
    this.paint = setInterval(() => {
      context.fillStyle = `hsl(${Date.now() % 360} 60% 50%)`;
      context.fillRect(0, 0, 160, 120);
    }, 50);
    const stream = canvas.captureStream(10);
    for (const track of stream.getTracks()) this.pc.addTrack(track, stream);
    await this.call(this.remote);
  }

  async receive(frame) {
    if (frame.type === 'offer') {
      if (!this.options.autoAnswer) return;
      const pc = this.connection(frame.from);
      await pc.setRemoteDescription({ type: 'offer', sdp: frame.sdp });
      const answer = await pc.createAnswer();
      await pc.setLocalDescription(answer);
      this.send({ type: 'answer', to: frame.from, sdp: answer.sdp });
    } else if (frame.type === 'answer') {
      await this.pc.setRemoteDescription({ type: 'answer', sdp: frame.sdp });
    } else if (frame.type === 'candidate') {
      if (!this.options.acceptCandidates || !this.pc || frame.candidate === '') return;
      await this.pc.addIceCandidate({ candidate: frame.candidate, sdpMid: frame.sdpMid, sdpMLineIndex: frame.sdpMLineIndex });
    }
  }

  /** Changes what this page does with candidates from now on (an ICE restart then brings them back). */
  setCandidates({ send, accept }) {
    if (send !== undefined) this.options.sendCandidates = send;
    if (accept !== undefined) this.options.acceptCandidates = accept;
  }

  /** Resolves once the connection reaches `state` (connectionState or iceConnectionState), rejects after `timeoutMs`. */
  waitFor(state, timeoutMs = 20_000) {
    return new Promise((resolve, reject) => {
      const started = Date.now();
      const check = () => {
        if (this.pc && (this.pc.connectionState === state || this.pc.iceConnectionState === state)) return resolve(Date.now());
        if (Date.now() - started > timeoutMs) return reject(new Error(`not ${state} within ${timeoutMs} ms: states ${JSON.stringify(this.states)}, frames ${JSON.stringify(this.frames.map((f) => f.type === "page-error" ? f.message : f.type))}`));
        setTimeout(check, 20);
      };
      check();
    });
  }

  /** Reports the selected pair and round trip from getStats(), as an app's stats loop would. */
  async reportStats() {
    const stats = await this.pc.getStats();
    let pair = null;
    stats.forEach((report) => {
      if (report.type === 'transport' && report.selectedCandidatePairId) pair = stats.get(report.selectedCandidatePairId);
    });
    if (!pair) stats.forEach((report) => {
      if (report.type === 'candidate-pair' && report.nominated && report.state === 'succeeded') pair = report;
    });
    if (!pair) throw new Error('no selected candidate pair yet');
    const local = stats.get(pair.localCandidateId);
    const remote = stats.get(pair.remoteCandidateId);
    const report = {
      localCandidateType: local.candidateType,
      remoteCandidateType: remote.candidateType,
      protocol: local.protocol,
      ...(local.relayProtocol ? { relayProtocol: local.relayProtocol } : {}),
      ...(pair.currentRoundTripTime !== undefined ? { rttMs: Math.round(pair.currentRoundTripTime * 1000 * 100) / 100 } : {}),
    };
    this.send({ type: 'stats', to: this.remote, report });
    return report;
  }

  /** Ends the call the way an app's hang-up button does: reports `closed` (with a reason), closes the connection, stays in the room. */
  hangUp(reason) {
    this.send({ type: 'state', to: this.remote, connectionState: 'closed', ...(reason ? { reason } : {}) });
    this.options.reportStates = false;
    this.pc.close();
  }

  bye() {
    this.send({ type: 'bye' });
  }

  /** Frames of `type` received so far. */
  received(type) {
    return this.frames.filter((frame) => frame.type === type);
  }
}

/**
 * Chromium gathers host candidates on every interface only for a page with a media permission;
 * without one it takes the default route's address, and the tests' network namespace has no
 * route but loopback. Calling apps ask for the camera anyway; these fake-device grants stand in.
 */
async function allowLocalCandidates() {
  const stream = await navigator.mediaDevices.getUserMedia({ audio: true });
  for (const track of stream.getTracks()) track.stop();
}

window.CallClient = CallClient;
window.allowLocalCandidates = allowLocalCandidates;
