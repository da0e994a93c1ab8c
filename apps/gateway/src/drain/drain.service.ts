import { BeforeApplicationShutdown, Injectable, Logger } from '@nestjs/common';
import { DrainState } from '@sg/platform';
import { ResumeDirectory, SessionEventSink } from '@sg/room';
import { WebSocket } from 'ws';
import { NodeLivenessService } from '../cluster/node-liveness.service';
import { GatewayConfig } from '../config/gateway-config';
import { CLOSE_CODE } from '../signaling/close-codes';
import type { ConnectedPeer } from '../signaling/connected-peer';
import { DepartureService } from '../signaling/departure.service';
import { SignalingServer } from '../signaling/signaling.server';
import { drainSchedule } from './drain-schedule';

/**
 * SIGTERM (PROTOCOL section 4): `/readyz` is already 503 and new upgrades get 1001;
 * this closes every client with 1001, spread over the first half of
 * DRAIN_TIMEOUT_MS, cuts the ones still open at its end, keeps every peer's seat
 * resumable on the other nodes for the window (they end the holds with `timeout`),
 * leaves the registry, and flushes the session events. It runs before the Redis
 * connections close, and the process then exits 0.
 */
@Injectable()
export class DrainService implements BeforeApplicationShutdown {
  private readonly logger = new Logger(DrainService.name);

  constructor(
    private readonly config: GatewayConfig,
    private readonly drain: DrainState,
    private readonly server: SignalingServer,
    private readonly departures: DepartureService,
    private readonly liveness: NodeLivenessService,
    private readonly resumes: ResumeDirectory,
    private readonly events: SessionEventSink,
  ) {}

  async beforeApplicationShutdown(): Promise<void> {
    this.drain.startDraining();
    const startedAt = Date.now();
    const peers = this.server.connectionCount;
    await this.closeClients(startedAt, this.config.resume.drainTimeoutMs);
    // every lost socket's hold is in Redis before the node leaves: survivors end them
    await this.departures.settled();
    await this.liveness.stop();
    try {
      const held = await this.resumes.holdNode(this.config.nodeId, 'timeout', this.config.timing.resumeWindowMs, false);
      if (held) this.logger.warn(`${held} peers had no hold of their own when the node left; they time out unless they resume`);
    } catch (error) {
      this.logger.warn(`could not leave the cluster cleanly; survivors will treat this node as dead: ${String(error)}`);
    }
    await this.events.close();
    this.logger.log(`drained ${peers} sockets in ${Date.now() - startedAt} ms`);
  }

  private async closeClients(startedAt: number, timeoutMs: number): Promise<void> {
    const deadline = startedAt + timeoutMs;
    const pending = this.server.openPeers();
    const closed = pending.map(socketClosed);
    for (const step of drainSchedule(pending.length, Math.floor(timeoutMs / 2))) {
      await delay(startedAt + step.atMs - Date.now());
      for (const peer of pending.splice(0, step.count)) goAway(peer);
    }
    // sockets whose admission was in flight when the drain began
    for (const peer of this.server.openPeers()) {
      goAway(peer);
      closed.push(socketClosed(peer));
    }
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([Promise.all(closed), new Promise((resolve) => (timer = setTimeout(resolve, Math.max(0, deadline - Date.now()))))]);
    clearTimeout(timer);
    const stragglers = this.server.openPeers();
    if (stragglers.length > 0) this.logger.warn(`cutting ${stragglers.length} sockets that did not finish closing within DRAIN_TIMEOUT_MS`);
    for (const peer of stragglers) {
      peer.endedByServer ??= 'drain';
      peer.ws.terminate();
    }
  }
}

/** 1001: the client should reconnect, and may resume on another node (PROTOCOL section 1). */
function goAway(peer: ConnectedPeer): void {
  peer.endedByServer ??= 'drain';
  peer.close(CLOSE_CODE.goingAway, 'node draining');
}

function socketClosed(peer: ConnectedPeer): Promise<void> {
  if (peer.ws.readyState === WebSocket.CLOSED) return Promise.resolve();
  return new Promise((resolve) => peer.ws.once('close', () => resolve()));
}

function delay(ms: number): Promise<void> {
  return ms > 0 ? new Promise((resolve) => setTimeout(resolve, ms)) : Promise.resolve();
}
