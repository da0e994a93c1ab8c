import type { GatewayConfig } from './gateway-config';

/**
 * Files a gateway holds besides its WebSockets, probes aside. Measured 27 at rest on one
 * Redis (listener, Redis connections, stdio, epoll and eventfd handles); the rest is for a
 * Redis Cluster's connection per node and its subscribers, the trace exporter, and scrapes
 * and health checks in flight.
 */
const OWN_FILES = 50;

/** A probe holds a UDP socket per address it gathers on (one with PROBE_ICE_ADDRESS, measured) and one per TURN server. */
const FILES_PER_PROBE = 3;

/**
 * The soft "Max open files" of a `/proc/<pid>/limits` text: the limit the running process
 * is held to (Node raises it to the hard one at start, so read it once running). Null when
 * the text has no such line, or says `unlimited`.
 */
export function softOpenFilesLimit(procLimits: string): number | null {
  const soft = /^Max open files\s+(\S+)/m.exec(procLimits)?.[1];
  if (soft === undefined || !/^\d+$/.test(soft)) return null;
  return Number(soft);
}

/**
 * The start-up warning when the open-files limit, not MAX_CONNECTIONS, would end up capping
 * the node's WebSockets; null when the cap comes first. Past the file limit an upgrade is
 * reset with no close code, counted nowhere and logged nowhere, where the cap refuses with
 * 1013 and counts it (docs/operations.md, "File descriptors and connection limits").
 */
export function openFilesWarning(config: Pick<GatewayConfig, 'limits' | 'probe'>, openFilesLimit: number): string | null {
  const reserve = OWN_FILES + (config.probe.enabled ? config.probe.maxConcurrent * FILES_PER_PROBE : 0);
  const sockets = Math.max(0, openFilesLimit - reserve);
  const { maxConnections } = config.limits;
  if (maxConnections !== 0 && maxConnections <= sockets) return null;
  const room = `the ${sockets} WebSockets that the open-files limit of ${openFilesLimit} leaves room for (the gateway keeps about ${reserve} files for itself)`;
  const head = maxConnections === 0 ? `MAX_CONNECTIONS=0 (no cap) lets the node take more than ${room}` : `MAX_CONNECTIONS=${maxConnections} is above ${room}`;
  const lower = sockets > 0 ? `, or set MAX_CONNECTIONS to ${sockets} or less` : '';
  return (
    `${head}: past ${sockets}, upgrades are reset with no close code, counted nowhere and not logged, instead of refused with 1013. ` +
    `Raise the container's nofile limit (docs/operations.md, "File descriptors and connection limits")${lower}.`
  );
}
