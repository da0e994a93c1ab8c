import type { ConnectionState, IceConnectionState } from './state.message';

/**
 * Whether a `state` report says the peer connection is up (PROTOCOL section 1 `state`). The
 * `connectionState` covers ICE and DTLS, so it decides when reported: werift, for one, reports
 * ICE `completed` once gathering ends while its connection is still `new`. Without it, ICE
 * `connected` or `completed` counts. Shared by the gateway's negotiation metric and the session
 * fold, so both mean the same moment.
 */
export function reportsConnected(report: { connectionState?: ConnectionState; iceConnectionState?: IceConnectionState }): boolean {
  return report.connectionState !== undefined
    ? report.connectionState === 'connected'
    : report.iceConnectionState === 'connected' || report.iceConnectionState === 'completed';
}
