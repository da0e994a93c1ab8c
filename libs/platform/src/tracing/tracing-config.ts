import type { OtlpProtocol, TracingEnv } from './tracing-env';

/** Where and how an app exports its spans; null when tracing is off. */
export interface TracingConfig {
  /** Where spans go, as the start-up line names it (without credentials). */
  readonly endpoint: string;
  readonly protocol: OtlpProtocol;
  readonly serviceName: string;
}

/**
 * Tracing is on when an OTLP endpoint is set. The exporter, the batch processor, the sampler and
 * the resource read the standard variables themselves (validated in `withTracingEnv` first), as
 * OpenTelemetry documents them; this keeps what the app decides: on or off, the protocol, the name.
 */
export function tracingConfig(env: TracingEnv): TracingConfig | null {
  const traces = env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT;
  const base = env.OTEL_EXPORTER_OTLP_ENDPOINT;
  if (traces === undefined && base === undefined) return null;
  return { endpoint: describeEndpoint(traces ?? (base as string), traces === undefined), protocol: env.OTEL_EXPORTER_OTLP_PROTOCOL, serviceName: env.OTEL_SERVICE_NAME };
}

/** The URL spans go to, as the SDK builds it (the signal's path after the base one), without credentials or query. */
function describeEndpoint(url: string, isBase: boolean): string {
  try {
    const parsed = new URL(url);
    if (isBase) parsed.pathname = `${parsed.pathname.replace(/\/+$/, '')}/v1/traces`;
    parsed.username = '';
    parsed.password = '';
    parsed.search = '';
    return parsed.toString();
  } catch {
    return '(an endpoint that is not a URL)';
  }
}
