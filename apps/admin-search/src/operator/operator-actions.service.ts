import { BadGatewayException, GatewayTimeoutException, Inject, Injectable, Logger, NotFoundException, OnApplicationBootstrap } from '@nestjs/common';
import { ClientProxy } from '@nestjs/microservices';
import { InjectMetric } from '@willsoto/nestjs-prometheus';
import { OperatorActionRecord, RedisNodeRegistry, RedisOperatorActionLog, RedisRoomDirectory } from '@sg/cluster';
import { METRIC } from '@sg/metrics';
import { TIMED_OUT } from '@sg/platform';
import {
  CloseRoomReply,
  DrainReply,
  KickPeerReply,
  NodeId,
  OPERATOR_ACTION_TIMEOUT_MS,
  OPERATOR_PATTERNS,
  PeerId,
  RoomId,
} from '@sg/schema';
import type { Counter } from 'prom-client';
import { lastValueFrom, TimeoutError, timeout } from 'rxjs';
import { ActionDeadline } from './action-deadline';
import { NodeLifecycleView } from './node-lifecycle.view';

/** DI token of admin-search's Nest Redis transport client to the gateway nodes. */
export const GATEWAY_NODES_CLIENT = Symbol('GATEWAY_NODES_CLIENT');

type Action = OperatorActionRecord['action'];
type Result = OperatorActionRecord['result'];
const ACTIONS: readonly Action[] = ['kick', 'close-room', 'drain', 'undrain'];
const RESULTS: readonly Result[] = ['ok', 'not-found', 'timeout', 'error'];
/** The 3 s less what sending the answer takes. */
const ANSWER_BUDGET_MS = OPERATOR_ACTION_TIMEOUT_MS - 100;
/** Kept from the node's share for the action-log write after it, so a 504 still leaves in time. */
const LOG_WRITE_RESERVE_MS = 100;
const WITHIN = `within ${OPERATOR_ACTION_TIMEOUT_MS / 1000} s`;

/**
 * Operator actions (PROTOCOL section 3): each asks the node that holds the peer or room
 * over the Nest Redis transport and answers once that node has acted; 404 when nothing
 * holds the target, 504 when the node does not answer within 3 s. The 3 s bound the whole
 * action, its Redis reads and log write too (ActionDeadline). Every action, whatever its
 * result, goes to the action log and `admin_actions_total`.
 */
@Injectable()
export class OperatorActionsService implements OnApplicationBootstrap {
  private readonly logger = new Logger(OperatorActionsService.name);

  constructor(
    @Inject(GATEWAY_NODES_CLIENT) private readonly nodes: ClientProxy,
    private readonly directory: RedisRoomDirectory,
    private readonly registry: RedisNodeRegistry,
    private readonly log: RedisOperatorActionLog,
    private readonly lifecycle: NodeLifecycleView,
    @InjectMetric(METRIC.adminActionsTotal) private readonly actions: Counter<'action' | 'result'>,
  ) {}

  onApplicationBootstrap(): void {
    // every series exists from start-up, so increase() sees the first action
    for (const action of ACTIONS) for (const result of RESULTS) this.actions.inc({ action, result }, 0);
  }

  async kickPeer(room: RoomId, peer: PeerId, remoteAddr: string): Promise<{ room_id: string; peer_id: string; node_id: string }> {
    const deadline = new ActionDeadline(ANSWER_BUDGET_MS);
    const target = `${room}/${peer}`;
    const member = await this.fromRedis(deadline, 'kick', target, remoteAddr, this.directory.member(room, peer));
    if (!member) return this.notFound(deadline, 'kick', target, null, remoteAddr, `no peer ${peer} in room ${room}`);
    const reply = await this.ask<KickPeerReply>(deadline, 'kick', target, member.node, OPERATOR_PATTERNS.kickPeer(member.node), { room, peer }, remoteAddr);
    if (!reply.kicked) return this.notFound(deadline, 'kick', target, member.node, remoteAddr, `no peer ${peer} in room ${room}`);
    await this.record(deadline, 'kick', target, member.node, 'ok', remoteAddr);
    return { room_id: room, peer_id: peer, node_id: member.node };
  }

  async closeRoom(room: RoomId, remoteAddr: string): Promise<{ room_id: string; kicked: number }> {
    const deadline = new ActionDeadline(ANSWER_BUDGET_MS);
    const members = await this.fromRedis(deadline, 'close-room', room, remoteAddr, this.directory.members(room));
    if (members.length === 0) return this.notFound(deadline, 'close-room', room, null, remoteAddr, `no room ${room}`);
    const holders = [...new Set(members.map((member) => member.node))].sort();
    const replies = await Promise.all(
      holders.map((node) => this.ask<CloseRoomReply>(deadline, 'close-room', room, node, OPERATOR_PATTERNS.closeRoom(node), { room }, remoteAddr)),
    );
    const kicked = replies.reduce((sum, reply) => sum + reply.kicked, 0);
    await this.record(deadline, 'close-room', room, holders.join(','), 'ok', remoteAddr);
    return { room_id: room, kicked };
  }

  async setDraining(node: NodeId, draining: boolean, remoteAddr: string): Promise<{ node_id: string; draining: boolean }> {
    const deadline = new ActionDeadline(ANSWER_BUDGET_MS);
    const action: Action = draining ? 'drain' : 'undrain';
    if (this.lifecycle.stopped(node) || !(await this.fromRedis(deadline, action, node, remoteAddr, this.registry.isRegistered(node)))) {
      return this.notFound(deadline, action, node, null, remoteAddr, `no gateway node ${node}`);
    }
    const pattern = draining ? OPERATOR_PATTERNS.drain(node) : OPERATOR_PATTERNS.undrain(node);
    const reply = await this.ask<DrainReply>(deadline, action, node, node, pattern, {}, remoteAddr);
    await this.record(deadline, action, node, node, 'ok', remoteAddr);
    return { node_id: node, draining: reply.draining };
  }

  /** The action log, newest first. */
  recent(limit: number): Promise<OperatorActionRecord[]> {
    return this.log.newest(limit);
  }

  /** A Redis read of the action: past the deadline it is recorded and answered 504, and never waited for. */
  private async fromRedis<T>(deadline: ActionDeadline, action: Action, target: string, remoteAddr: string, read: Promise<T>): Promise<T> {
    const value = await deadline.within(read);
    if (value !== TIMED_OUT) return value;
    await this.record(deadline, action, target, null, 'timeout', remoteAddr);
    this.logger.warn(`${action} ${target}: Redis did not answer ${WITHIN}`);
    throw new GatewayTimeoutException(`Redis did not answer ${WITHIN}`);
  }

  /** One request to one node; a failure is recorded here and answered 504 (no answer in time) or 502. */
  private async ask<T>(deadline: ActionDeadline, action: Action, target: string, node: string, pattern: string, payload: object, remoteAddr: string): Promise<T> {
    try {
      return await lastValueFrom(this.nodes.send<T>(pattern, payload).pipe(timeout(deadline.remainingMs(LOG_WRITE_RESERVE_MS))));
    } catch (error) {
      const timedOut = error instanceof TimeoutError;
      const result: Result = timedOut ? 'timeout' : 'error';
      await this.record(deadline, action, target, node, result, remoteAddr);
      this.logger.warn(`${action} ${target}: node ${node} ${timedOut ? `did not answer ${WITHIN}` : `failed: ${describe(error)}`}`);
      if (timedOut) throw new GatewayTimeoutException(`gateway node ${node} did not answer ${WITHIN}`);
      throw new BadGatewayException(`gateway node ${node} could not act: ${describe(error)}`);
    }
  }

  private async notFound(deadline: ActionDeadline, action: Action, target: string, node: string | null, remoteAddr: string, message: string): Promise<never> {
    await this.record(deadline, action, target, node, 'not-found', remoteAddr);
    throw new NotFoundException(message);
  }

  /** Waits for the log write while the deadline allows; a later write still lands, and a failed one is logged. */
  private async record(deadline: ActionDeadline, action: Action, target: string, node: string | null, result: Result, remoteAddr: string): Promise<void> {
    this.actions.inc({ action, result });
    const entry: OperatorActionRecord = { t: Date.now() / 1000, action, target, node_id: node, result, remote_addr: remoteAddr };
    // the action happened whether or not its record is written: an unwritten record is logged, never a failed answer
    const written = this.log.append(entry).catch((error: unknown) => this.logger.error(`could not log operator action ${JSON.stringify(entry)}: ${describe(error)}`));
    if ((await deadline.within(written)) === TIMED_OUT) this.logger.warn(`${action} ${target}: answered before its action-log entry was written (Redis is slow)`);
  }
}

function describe(error: unknown): string {
  if (error instanceof Error) return error.message;
  if (typeof error === 'object' && error !== null && 'message' in error) return String((error as { message: unknown }).message);
  return String(error);
}
