/**
 * How much Nest's WebSocket message path costs per frame (not a test): one process
 * receives the same frames over three paths and reports its own CPU per frame:
 *
 * - `ws`: a bare `ws` server, `on('message')` and JSON.parse (the floor);
 * - `nest-default`: a @WebSocketGateway on Nest's WsAdapter with one @SubscribeMessage per
 *   message type, frames as `{event, data}` (Nest's documented default);
 * - `nest-handler`: an adapter that binds each frame to one @SubscribeMessage handler,
 *   called through Nest's handler wrapper (its context, pipes and exception zone);
 * - `nest-frame-sink`: the gateway's SignalingWsAdapter, every frame straight to the sink
 *   the gateway registered in afterInit (what apps/gateway runs).
 *
 * An AsyncLocalStorage is in use first, as in the apps (nestjs-pino keeps its request
 * context in one): from then on Node runs promise hooks for every Promise, which is what
 * makes a per-frame Promise chain expensive. The sender is a child process, so its CPU is
 * not counted. The figures decide the gateway's dispatch design (docs/architecture.md,
 * "The frame path").
 *
 *   npx tsx bench/ws-dispatch-paths.ts [frames=200000]
 */
import 'reflect-metadata';
import { AsyncLocalStorage } from 'node:async_hooks';
import { fork } from 'node:child_process';
import type { AddressInfo } from 'node:net';
import { INestApplication, Logger, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { WsAdapter } from '@nestjs/platform-ws';
import { MessageMappingProperties, OnGatewayInit, SubscribeMessage, WebSocketGateway } from '@nestjs/websockets';
import { RawData, WebSocket, WebSocketServer } from 'ws';
import { bindFrames, SignalingWsAdapter } from '../apps/gateway/src/signaling/signaling-ws.adapter';

const FRAME = 'frame';

const FRAMES = Number(process.argv[2] ?? 200_000);
const SDP_LINE = 'a=candidate:1 1 udp 2122260223 192.0.2.1 54321 typ host generation 0';
const PAYLOAD = { type: 'candidate', to: 'peer-b', candidate: SDP_LINE, sdpMid: '0', sdpMLineIndex: 0 };

let received = 0;
let done: (() => void) | null = null;
function count(): void {
  if (++received === FRAMES) done?.();
}

@WebSocketGateway({ path: '/ws' })
class DefaultPathGateway {
  @SubscribeMessage('candidate')
  candidate(_client: unknown, data: unknown): void {
    if (data !== undefined) count();
  }

  @SubscribeMessage('offer')
  offer(_client: unknown, data: unknown): void {
    if (data !== undefined) count();
  }
}

@WebSocketGateway({ path: '/ws' })
class HandlerGateway {
  @SubscribeMessage(FRAME)
  frame(_client: unknown, frame: RawData): void {
    if ((JSON.parse(frame.toString()) as { type?: unknown }).type !== undefined) count();
  }
}

/** Binds every frame to the one handler, through Nest's wrapper. */
class HandlerAdapter extends WsAdapter {
  override bindMessageHandlers(client: WebSocket, handlers: MessageMappingProperties[]): void {
    const handle = handlers[0].callback as (frame: RawData) => unknown;
    client.on('message', (data: RawData) => void handle(data));
  }
}

@WebSocketGateway({ path: '/ws' })
class FrameSinkGateway implements OnGatewayInit {
  afterInit(server: WebSocketServer): void {
    bindFrames(server, (_ws, data) => {
      if ((JSON.parse(data.toString()) as { type?: unknown }).type !== undefined) count();
    });
  }
}

@Module({ providers: [DefaultPathGateway] })
class DefaultPathModule {}

@Module({ providers: [HandlerGateway] })
class HandlerModule {}

@Module({ providers: [FrameSinkGateway] })
class FrameSinkModule {}

/** Sends FRAMES frames from a child process, keeping the socket's buffer bounded. */
function send(url: string, frame: string): Promise<void> {
  const script = `
    const WebSocket = require('ws');
    const ws = new WebSocket(process.argv[1]);
    const frame = process.argv[2];
    let left = Number(process.argv[3]);
    ws.on('open', function pump() {
      while (left > 0 && ws.bufferedAmount < 1 << 20) { ws.send(frame); left--; }
      if (left > 0) setImmediate(pump);
    });
    process.on('message', () => process.exit(0));`;
  const child = fork('-e', [script, url, frame, String(FRAMES)], { execArgv: [], stdio: 'ignore', execPath: process.execPath });
  return new Promise((resolve) => {
    done = () => {
      child.send('stop');
      resolve();
    };
  });
}

async function measure(name: string, url: string, frame: string): Promise<number> {
  received = 0;
  const before = process.cpuUsage();
  await send(url, frame);
  const used = process.cpuUsage(before);
  const usPerFrame = (used.user + used.system) / FRAMES;
  process.stdout.write(`${name.padEnd(20)} ${usPerFrame.toFixed(2)} us CPU per frame\n`);
  return usPerFrame;
}

async function nestApp(module: unknown, adapter: (app: INestApplication) => WsAdapter): Promise<{ app: INestApplication; url: string }> {
  const app = await NestFactory.create(module as never, { logger: false });
  app.useWebSocketAdapter(adapter(app));
  await app.listen(0, '127.0.0.1');
  const { port } = app.getHttpServer().address() as AddressInfo;
  return { app, url: `ws://127.0.0.1:${port}/ws` };
}

async function main(): Promise<void> {
  // Nest's gateway subscription lines would interleave with the figures
  Logger.overrideLogger(false);
  new AsyncLocalStorage().run({}, () => undefined);
  const plain = JSON.stringify(PAYLOAD);
  const results: Record<string, number> = {};
  // each path runs twice, interleaved, so a neighbour's load disturbs all alike; the lower figure counts
  for (let round = 0; round < 2; round++) {
    const wss = new WebSocketServer({ host: '127.0.0.1', port: 0, path: '/ws', perMessageDeflate: false });
    wss.on('connection', (ws) =>
      ws.on('message', (data: RawData) => {
        if ((JSON.parse(data.toString()) as { type?: unknown }).type !== undefined) count();
      }),
    );
    await new Promise((resolve) => wss.once('listening', resolve));
    const wsUrl = `ws://127.0.0.1:${(wss.address() as AddressInfo).port}/ws`;
    results['ws'] = Math.min(results['ws'] ?? Infinity, await measure('ws', wsUrl, plain));
    await new Promise((resolve) => wss.close(resolve));

    const nestDefault = await nestApp(DefaultPathModule, (app) => new WsAdapter(app));
    results['nest-default'] = Math.min(results['nest-default'] ?? Infinity, await measure('nest-default', nestDefault.url, JSON.stringify({ event: 'candidate', data: PAYLOAD })));
    await nestDefault.app.close();

    const handler = await nestApp(HandlerModule, (app) => new HandlerAdapter(app));
    results['nest-handler'] = Math.min(results['nest-handler'] ?? Infinity, await measure('nest-handler', handler.url, plain));
    await handler.app.close();

    const sink = await nestApp(FrameSinkModule, (app) => new SignalingWsAdapter(app, { maxPayload: 65_536 }));
    results['nest-frame-sink'] = Math.min(results['nest-frame-sink'] ?? Infinity, await measure('nest-frame-sink', sink.url, plain));
    await sink.app.close();
  }
  const floor = results['ws'];
  process.stdout.write(`\n${FRAMES} frames of ${plain.length} B, best of 2 rounds:\n`);
  for (const [name, us] of Object.entries(results)) {
    process.stdout.write(`${name.padEnd(20)} ${us.toFixed(2)} us/frame  (+${(us - floor).toFixed(2)} us over bare ws)\n`);
  }
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exit(1);
  },
);
