import { TraceFlags } from '@opentelemetry/api';
import { CommonEnv } from '../env/common-env';
import { EnvValidationError } from '../env/env-validation.error';
import { validateEnv } from '../env/validate-env';
import { formatTraceparent, parseTraceparent } from './traceparent-context';
import { tracingConfig } from './tracing-config';
import { withTracingEnv } from './tracing-env';

class TracedEnv extends withTracingEnv(CommonEnv, 'some-app') {}

function configOf(raw: Record<string, string>) {
  return tracingConfig(validateEnv(TracedEnv, raw));
}

function errorsOf(raw: Record<string, string>): string[] {
  try {
    validateEnv(TracedEnv, raw);
  } catch (error) {
    if (error instanceof EnvValidationError) return error.message.split('\n');
    throw error;
  }
  return [];
}

describe(tracingConfig.name, () => {
  it('is off without an OTLP endpoint', () => {
    expect(configOf({})).toBeNull();
  });

  it('sends spans to <endpoint>/v1/traces, as protobuf, named after the app by default', () => {
    expect(configOf({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318/' })).toEqual({ endpoint: 'http://collector:4318/v1/traces', protocol: 'http/protobuf', serviceName: 'some-app' });
  });

  it('takes the traces endpoint as it is, alone or over the base one', () => {
    expect(configOf({ OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'https://otlp.example.com/api/traces' })?.endpoint).toBe('https://otlp.example.com/api/traces');
    expect(configOf({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://a:4318', OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'http://b:4318/t' })?.endpoint).toBe('http://b:4318/t');
  });

  it('names the endpoint without credentials or query', () => {
    expect(configOf({ OTEL_EXPORTER_OTLP_ENDPOINT: 'https://user:secret@otlp.example.com?key=secret' })?.endpoint).toBe('https://otlp.example.com/v1/traces');
  });

  it('takes JSON and another service name', () => {
    expect(configOf({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://c:4318', OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json', OTEL_SERVICE_NAME: 'gw-eu' })).toMatchObject({ protocol: 'http/json', serviceName: 'gw-eu' });
  });

  it('accepts the standard samplers, a ratio, headers and resource attributes', () => {
    expect(
      errorsOf({
        OTEL_TRACES_SAMPLER: 'parentbased_traceidratio',
        OTEL_TRACES_SAMPLER_ARG: '0.25',
        OTEL_EXPORTER_OTLP_HEADERS: 'x-api-key=abc,x-team=signaling',
        OTEL_RESOURCE_ATTRIBUTES: 'deployment.environment=prod',
      }),
    ).toEqual([]);
  });

  it('names every bad variable, never its value', () => {
    const errors = errorsOf({
      OTEL_EXPORTER_OTLP_ENDPOINT: 'collector:4318',
      OTEL_EXPORTER_OTLP_PROTOCOL: 'grpc',
      OTEL_EXPORTER_OTLP_HEADERS: 'secret-without-equals',
      OTEL_TRACES_SAMPLER: 'sometimes',
      OTEL_TRACES_SAMPLER_ARG: '1.5',
      OTEL_SERVICE_NAME: 'two words',
    });
    expect(errors.join('\n')).toContain('OTEL_EXPORTER_OTLP_ENDPOINT: must be an http:// or https:// URL');
    for (const name of ['OTEL_EXPORTER_OTLP_PROTOCOL', 'OTEL_EXPORTER_OTLP_HEADERS', 'OTEL_TRACES_SAMPLER', 'OTEL_TRACES_SAMPLER_ARG', 'OTEL_SERVICE_NAME']) {
      expect(errors.join('\n')).toContain(`${name}:`);
    }
    expect(errors.join('\n')).not.toContain('secret-without-equals');
  });
});

describe('traceparent context', () => {
  const context = { traceId: '4bf92f3577b34da6a3ce929d0e0e4736', spanId: '00f067aa0ba902b7', traceFlags: TraceFlags.SAMPLED };

  it('formats a span context and parses it back, remote', () => {
    const traceparent = formatTraceparent(context);

    expect(traceparent).toBe('00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01');
    expect(parseTraceparent(traceparent)).toEqual({ ...context, isRemote: true });
  });

  it('keeps an unsampled trace unsampled', () => {
    expect(parseTraceparent(formatTraceparent({ ...context, traceFlags: TraceFlags.NONE }))?.traceFlags).toBe(TraceFlags.NONE);
  });

  it('refuses what is not a traceparent', () => {
    expect(parseTraceparent('00-4bf92f3577b34da6a3ce929d0e0e4736-0000000000000000-01')).toBeNull();
    expect(parseTraceparent('nonsense')).toBeNull();
  });
});
