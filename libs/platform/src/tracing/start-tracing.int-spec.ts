import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { trace } from '@opentelemetry/api';
import { OtlpReceiver } from '@sg/testing';
import { startTracing } from './start-tracing';

// the SDK as the apps start it, against a real OTLP/HTTP receiver: what it sends, and only that
describe(startTracing.name, () => {
  let receiver: OtlpReceiver;
  const saved = { ...process.env };

  beforeAll(async () => {
    receiver = await OtlpReceiver.start();
  });

  // the API takes one global tracer provider per process: each test starts its own SDK
  afterEach(() => trace.disable());

  afterAll(async () => {
    process.env = saved;
    await receiver.stop();
  });

  it('exports spans over OTLP/HTTP JSON with the service name and the node id, and nothing but spans', async () => {
    // the exporter reads its endpoint as the SDK documents it; startTracing picks the JSON exporter
    process.env['OTEL_EXPORTER_OTLP_ENDPOINT'] = receiver.url;
    const tracing = startTracing({ endpoint: `${receiver.url}/v1/traces`, protocol: 'http/json', serviceName: 'gateway' }, 'node-7');
    trace.getTracer('test').startSpan('session', { attributes: { 'signaling.room': 'room-1' } }).end();
    await tracing.shutdown();

    expect(receiver.spans).toEqual([expect.objectContaining({ name: 'session', service: 'gateway', instance: 'node-7', attributes: { 'signaling.room': 'room-1' } })]);
    // no metric or log exporter was started: every request was a span export
    expect(receiver.requests).toBe(1);
  });

  it('exports protobuf by default', async () => {
    process.env['OTEL_EXPORTER_OTLP_ENDPOINT'] = receiver.url;
    const before = { requests: receiver.requests, spans: receiver.spans.length };
    const tracing = startTracing({ endpoint: `${receiver.url}/v1/traces`, protocol: 'http/protobuf', serviceName: 'gateway' }, 'node-7');
    trace.getTracer('test').startSpan('session').end();
    await tracing.shutdown();

    expect(receiver.requests).toBe(before.requests + 1);
    expect(receiver.protobufRequests).toBe(1);
    expect(receiver.spans).toHaveLength(before.spans);
  });

  it('gives up the last export after 2 s when the collector does not answer', async () => {
    const silent = createServer(() => undefined);
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', () => resolve()));
    try {
      process.env['OTEL_EXPORTER_OTLP_ENDPOINT'] = `http://127.0.0.1:${(silent.address() as AddressInfo).port}`;
      // the export's own timeout, past the 2 s: shutdown must not wait for it
      process.env['OTEL_EXPORTER_OTLP_TIMEOUT'] = '3500';
      const tracing = startTracing({ endpoint: 'silent', protocol: 'http/json', serviceName: 'gateway' }, 'node-7');
      trace.getTracer('test').startSpan('session').end();
      const started = Date.now();
      await tracing.shutdown();

      expect(Date.now() - started).toBeLessThan(3_000);
      // the abandoned export ends by its own timeout; the test leaves nothing running
      await new Promise((resolve) => setTimeout(resolve, 2_000));
    } finally {
      silent.closeAllConnections();
      silent.close();
    }
  });
});
