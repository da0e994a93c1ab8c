import { OtlpReceiver } from '../../libs/testing/src/otlp-receiver';
import type { RelayBenchOptions } from '../options';

let receiver: OtlpReceiver | null = null;

/**
 * `--tracing=on`: the gateways run with OpenTelemetry tracing as operators turn it on (an OTLP
 * endpoint, protobuf over HTTP, the default batch processor), exporting to a receiver in this
 * process that answers 200 and counts what arrives, so the cost measured is the gateway's own
 * (docs/benchmarks.md, "Tracing"). Off: the options as they are.
 */
export async function withTracing(options: RelayBenchOptions): Promise<RelayBenchOptions> {
  if (!options.tracing) return options;
  receiver = await OtlpReceiver.start();
  return { ...options, gatewayEnv: { ...options.gatewayEnv, OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url } };
}

/** The report's line about tracing. */
export function tracingLine(options: RelayBenchOptions): string {
  if (!receiver) return `tracing: ${options.tracing ? 'on' : 'off'}`;
  return `tracing: on, gateways exporting OTLP/protobuf to a receiver in the orchestrator (${receiver.requests} exports, ${(receiver.bytes / 1e6).toFixed(1)} MB received)`;
}

export async function stopTracing(): Promise<void> {
  await receiver?.stop();
}
