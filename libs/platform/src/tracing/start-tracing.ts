import { Logger } from '@nestjs/common';
import { diag, DiagLogLevel, type DiagLogger } from '@opentelemetry/api';
import { OTLPTraceExporter as OtlpJsonTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { OTLPTraceExporter as OtlpProtobufTraceExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import { defaultResource, resourceFromAttributes } from '@opentelemetry/resources';
import { NodeSDK } from '@opentelemetry/sdk-node';
import type { TracingConfig } from './tracing-config';

/** The OpenTelemetry SDK of a running app: flushes and stops with `shutdown()`, after the app has closed (at most `SHUTDOWN_FLUSH_MS`). */
export interface RunningTracing {
  shutdown(): Promise<void>;
}

/** The longest the last export may hold the process's exit: a collector that is down must not delay a drained node's exit. */
const SHUTDOWN_FLUSH_MS = 2_000;
/** One warning per distinct message per minute: an unreachable collector fails every export. */
const REPEAT_WARNING_MS = 60_000;

/**
 * Starts the OpenTelemetry SDK for spans only: OTLP over HTTP (protobuf, or JSON with
 * `OTEL_EXPORTER_OTLP_PROTOCOL=http/json`), batched, the resource named by the app and its node
 * id. Metrics stay Prometheus's and logs pino's: no metric or log exporter is started, whatever
 * `OTEL_METRICS_EXPORTER`/`OTEL_LOGS_EXPORTER` say. No instrumentation either: the apps make the
 * spans that tell a session's story themselves (docs/operations.md, "Tracing").
 */
export function startTracing(config: TracingConfig, nodeId: string): RunningTracing {
  diag.setLogger(warningsOnce(new Logger('Tracing')), DiagLogLevel.WARN);
  const sdk = new NodeSDK({
    serviceName: config.serviceName,
    resource: defaultResource().merge(resourceFromAttributes({ 'service.instance.id': nodeId })),
    traceExporter: config.protocol === 'http/json' ? new OtlpJsonTraceExporter() : new OtlpProtobufTraceExporter(),
    metricReaders: [],
    logRecordProcessors: [],
    // spans are started with explicit parents: no propagator or instrumentation reads headers
    textMapPropagator: null,
  });
  sdk.start();
  return {
    shutdown: () => Promise.race([sdk.shutdown(), new Promise<void>((resolve) => setTimeout(resolve, SHUTDOWN_FLUSH_MS).unref())]),
  };
}

/** The SDK's own complaints (export failures) as warnings of the app's logger, each at most once a minute. */
function warningsOnce(logger: Logger): DiagLogger {
  const lastSaid = new Map<string, number>();
  const say = (message: string, ...args: unknown[]) => {
    const text = [message, ...args.map((arg) => (arg instanceof Error ? arg.message : typeof arg === 'string' ? arg : JSON.stringify(arg)))].join(' ').slice(0, 500);
    const now = Date.now();
    if ((lastSaid.get(text) ?? -Infinity) > now - REPEAT_WARNING_MS) return;
    if (lastSaid.size > 100) lastSaid.clear();
    lastSaid.set(text, now);
    logger.warn(text);
  };
  const ignore = () => undefined;
  return { error: say, warn: say, info: ignore, debug: ignore, verbose: ignore };
}
