import { BeforeApplicationShutdown, Injectable, Logger } from '@nestjs/common';
import { DrainState, settleWithin } from '@sg/platform';
import { ResumeDirectory, SessionEventSink } from '@sg/room';
import { WebSocket } from 'ws';
import { NodeLifecycleNotifier } from '../cluster/node-lifecycle.notifier';
import { NodeLivenessService } from '../cluster/node-liveness.service';
import { GatewayConfig } from '../config/gateway-config';
import { CLOSE_CODE } from '../signaling/close-codes';
import type { ConnectedPeer } from '../signaling/connected-peer';
import { DepartureService } from '../signaling/departure.service';
import { SignalingGateway } from '../signaling/signaling.gateway';
import { drainSchedule } from './drain-schedule';

/**
 * Draining the node's clients: closes every one with 1001, spread over the first half
 * of DRAIN_TIMEOUT_MS, and cuts the ones still open at its end; their seats stay
 * resumable on the other nodes for the window.
 *
 * On SIGTERM (PROTOCOL section 4) `/readyz` is already 503 and new sockets get 1001;
 * after the clients, the node leaves the registry and flushes its session events, and the
 * process exits 0. An operator's drain (section 3) does the same to the clients but
 * keeps the node running, drained, until it is undrained.
 */
@Injectable()
export class DrainService implements BeforeApplicationShutdown {
  private readonly logger = new Logger(DrainService.name);
  /** Bumped by every drain and undrain: a drain still closing clients stops when it is no longer the current one. */
  private generation = 0;

  constructor(
    private readonly config: GatewayConfig,
    private readonly drain: DrainState,
    private readonly gateway: SignalingGateway,
    private readonly departures: DepartureService,
    private readonly liveness: NodeLivenessService,
    private readonly resumes: ResumeDirectory,
    private readonly events: SessionEventSink,
    private readonly lifecycle: NodeLifecycleNotifier,
  ) {}

  async beforeApplicationShutdown(): Promise<void> {
    this.drain.startDraining();
    const generation = ++this.generation;
    await this.lifecycle.draining();
    const startedAt = Date.now();
    const peers = this.gateway.connectionCount;
    await this.closeClients(startedAt, this.config.resume.drainTimeoutMs, generation);
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
    await this.lifecycle.stopped();
    this.logger.log(`drained ${peers} sockets in ${Date.now() - startedAt} ms`);
  }

  /** An operator's drain: starts closing the clients and returns at once; the node stays up, drained. */
  async drainByOperator(): Promise<void> {
    if (this.drain.isDraining) return;
    this.drain.startDraining();
    const generation = ++this.generation;
    await this.lifecycle.draining();
    const startedAt = Date.now();
    const peers = this.gateway.connectionCount;
    this.logger.warn(`drained by an operator: closing ${peers} sockets with 1001 over DRAIN_TIMEOUT_MS`);
    void this.closeClients(startedAt, this.config.resume.drainTimeoutMs, generation)
      .then(() => this.departures.settled())
      .then(
        () => this.logger.log(`operator drain closed ${peers} sockets in ${Date.now() - startedAt} ms`),
        (error: unknown) => this.logger.error(`operator drain failed: ${String(error)}`),
      );
  }

  /** Takes new sockets again; a drain still under way stops closing clients. */
  async undrain(): Promise<void> {
    if (!this.drain.isDraining) return;
    this.generation++;
    this.drain.stopDraining();
    this.logger.warn('undrained by an operator: taking new sockets again');
    await this.lifecycle.undrained();
  }

  private async closeClients(startedAt: number, timeoutMs: number, generation: number): Promise<void> {
    const current = () => generation === this.generation;
    const deadline = startedAt + timeoutMs;
    const pending = this.gateway.openPeers();
    const closed = pending.map(socketClosed);
    for (const step of drainSchedule(pending.length, Math.floor(timeoutMs / 2))) {
      await delay(startedAt + step.atMs - Date.now());
      if (!current()) return;
      for (const peer of pending.splice(0, step.count)) goAway(peer);
    }
    // sockets whose admission was in flight when the drain began
    for (const peer of this.gateway.openPeers()) {
      goAway(peer);
      closed.push(socketClosed(peer));
    }
    await settleWithin(Promise.all(closed), Math.max(0, deadline - Date.now()));
    if (!current()) return;
    const stragglers = this.gateway.openPeers();
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
