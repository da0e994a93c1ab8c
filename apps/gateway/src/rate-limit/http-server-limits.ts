import type { Server } from 'node:http';

/** Node checks its header and request deadlines this often; the default 30 s would let a cut-off come that late. */
const DEADLINE_CHECK_INTERVAL_MS = 1_000;

/**
 * Deadlines against slow-header (slowloris) clients on the gateway's HTTP
 * server: headers, the whole request, and idle keep-alive. An upgraded
 * WebSocket leaves the HTTP server's tracking, so these never end a peer.
 * Must run before `listen`: Node reads the check interval when it starts listening.
 */
export function applyHttpServerLimits(server: Server, timeouts: { headersMs: number; requestMs: number; keepAliveMs: number }): void {
  server.headersTimeout = timeouts.headersMs;
  server.requestTimeout = timeouts.requestMs;
  server.keepAliveTimeout = timeouts.keepAliveMs;
  // an option of createServer in the typings, read from the instance when listening starts
  (server as Server & { connectionsCheckingInterval: number }).connectionsCheckingInterval = DEADLINE_CHECK_INTERVAL_MS;
}
