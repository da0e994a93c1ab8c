import { IsIn, IsOptional, IsString, Matches, ValidateBy } from 'class-validator';
import type { CommonEnv } from '../env/common-env';

export const OTLP_PROTOCOLS = ['http/protobuf', 'http/json'] as const;
export type OtlpProtocol = (typeof OTLP_PROTOCOLS)[number];
export const TRACE_SAMPLERS = ['always_on', 'always_off', 'traceidratio', 'parentbased_always_on', 'parentbased_always_off', 'parentbased_traceidratio'] as const;
export type TraceSampler = (typeof TRACE_SAMPLERS)[number];

const OTLP_URL = /^https?:\/\/[^\s,]+$/i;
/** `key=value,key=value` (W3C Baggage-like, as the OpenTelemetry SDK reads headers and resource attributes). */
const KEY_VALUE_LIST = /^\s*[^\s=,]+\s*=[^,]*(,\s*[^\s=,]+\s*=[^,]*)*$/;

/** The variables of tracing (docs/configuration.md, docs/operations.md "Tracing"), the standard OpenTelemetry ones. */
export interface TracingEnv {
  OTEL_EXPORTER_OTLP_ENDPOINT?: string;
  OTEL_EXPORTER_OTLP_TRACES_ENDPOINT?: string;
  OTEL_EXPORTER_OTLP_PROTOCOL: OtlpProtocol;
  OTEL_EXPORTER_OTLP_HEADERS?: string;
  OTEL_SERVICE_NAME: string;
  OTEL_RESOURCE_ATTRIBUTES?: string;
  OTEL_TRACES_SAMPLER: TraceSampler;
  OTEL_TRACES_SAMPLER_ARG?: string;
}

type EnvClass = new (...args: any[]) => CommonEnv; // eslint-disable-line @typescript-eslint/no-explicit-any

/**
 * Adds the tracing variables to an app's env class, with the app's own default service name:
 * `class GatewayEnv extends withTracingEnv(CommonEnv, 'gateway')`. Tracing is off unless an
 * OTLP endpoint is set. Only the apps that write spans read them (admin-search does not).
 */
export function withTracingEnv<B extends EnvClass>(Base: B, serviceName: string): B & (new (...args: any[]) => TracingEnv) { // eslint-disable-line @typescript-eslint/no-explicit-any
  class WithTracingEnv extends Base implements TracingEnv {
    /** Base URL of an OTLP/HTTP receiver (a collector, Jaeger): spans go to `<it>/v1/traces`. Unset: tracing is off. */
    @IsOptional()
    @Matches(OTLP_URL, { message: 'must be an http:// or https:// URL' })
    OTEL_EXPORTER_OTLP_ENDPOINT?: string = undefined;

    /** The full URL for spans, instead of `OTEL_EXPORTER_OTLP_ENDPOINT` + `/v1/traces`. */
    @IsOptional()
    @Matches(OTLP_URL, { message: 'must be an http:// or https:// URL' })
    OTEL_EXPORTER_OTLP_TRACES_ENDPOINT?: string = undefined;

    @IsIn(OTLP_PROTOCOLS, { message: `must be one of ${OTLP_PROTOCOLS.join(', ')}` })
    OTEL_EXPORTER_OTLP_PROTOCOL: OtlpProtocol = 'http/protobuf';

    /** Sent with every export, e.g. a vendor's API key: a secret. */
    @IsOptional()
    @Matches(KEY_VALUE_LIST, { message: 'must be key=value pairs separated by commas' })
    OTEL_EXPORTER_OTLP_HEADERS?: string = undefined;

    @IsString()
    @Matches(/^\S{1,255}$/, { message: 'must be 1 to 255 characters without spaces' })
    OTEL_SERVICE_NAME: string = serviceName;

    @IsOptional()
    @Matches(KEY_VALUE_LIST, { message: 'must be key=value pairs separated by commas' })
    OTEL_RESOURCE_ATTRIBUTES?: string = undefined;

    @IsIn(TRACE_SAMPLERS, { message: `must be one of ${TRACE_SAMPLERS.join(', ')}` })
    OTEL_TRACES_SAMPLER: TraceSampler = 'parentbased_always_on';

    /** The ratio of the `*traceidratio` samplers, 0 to 1. */
    @IsOptional()
    @ValidateBy({
      name: 'isRatio',
      validator: {
        validate: (value: unknown) => typeof value === 'string' && /^\s*(0(\.\d+)?|1(\.0+)?|\.\d+)\s*$/.test(value),
        defaultMessage: () => 'must be a number from 0 to 1',
      },
    })
    OTEL_TRACES_SAMPLER_ARG?: string = undefined;
  }
  return WithTracingEnv;
}
