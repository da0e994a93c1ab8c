import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { gunzipSync } from 'node:zlib';

/** One span as an app exported it, flattened with the resource that sent it. */
export interface ReceivedSpan {
  readonly traceId: string;
  readonly spanId: string;
  /** Absent for a root span. */
  readonly parentSpanId?: string;
  readonly name: string;
  /** OTLP's SpanKind: 1 internal, 2 server, 3 client, 4 producer, 5 consumer. */
  readonly kind: number;
  readonly startMs: number;
  readonly endMs: number;
  readonly attributes: Readonly<Record<string, string | number | boolean>>;
  /** The resource's `service.name` and `service.instance.id`. */
  readonly service: string;
  readonly instance: string;
  readonly status: number;
}

export const OTLP_SPAN_KIND = { internal: 1, server: 2, client: 3, producer: 4, consumer: 5 } as const;

interface OtlpValue {
  stringValue?: string;
  intValue?: string | number;
  doubleValue?: number;
  boolValue?: boolean;
}
interface OtlpKeyValue {
  key: string;
  value: OtlpValue;
}
interface OtlpSpan {
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  name: string;
  kind?: number;
  startTimeUnixNano: string | number;
  endTimeUnixNano: string | number;
  attributes?: OtlpKeyValue[];
  status?: { code?: number };
}
interface OtlpExport {
  resourceSpans?: Array<{ resource?: { attributes?: OtlpKeyValue[] }; scopeSpans?: Array<{ spans?: OtlpSpan[] }> }>;
}

/**
 * A small OTLP/HTTP receiver for tests and benches: `POST /v1/traces` answered 200. JSON exports
 * (`OTEL_EXPORTER_OTLP_PROTOCOL=http/json`) are decoded into `spans`; protobuf ones only counted
 * (`requests`, `bytes`), which is all a bench needs of them.
 */
export class OtlpReceiver {
  readonly spans: ReceivedSpan[] = [];
  requests = 0;
  /** Exports in protobuf (`application/x-protobuf`), counted, not decoded. */
  protobufRequests = 0;
  bytes = 0;
  private readonly waiters = new Set<() => void>();

  private constructor(
    private readonly server: Server,
    readonly url: string,
  ) {}

  /** Listens on a free port of 127.0.0.1; `url` is the base URL for OTEL_EXPORTER_OTLP_ENDPOINT. */
  static start(): Promise<OtlpReceiver> {
    return new Promise((resolve, reject) => {
      let receiver: OtlpReceiver | null = null;
      const server = createServer((request, response) => receiver?.handle(request, response));
      server.on('error', reject);
      server.listen(0, '127.0.0.1', () => {
        receiver = new OtlpReceiver(server, `http://127.0.0.1:${(server.address() as AddressInfo).port}`);
        resolve(receiver);
      });
    });
  }

  /** Resolves with the spans once `accept` holds for them; rejects after `timeoutMs` saying what arrived. */
  waitFor(accept: (spans: readonly ReceivedSpan[]) => boolean, timeoutMs = 10_000): Promise<readonly ReceivedSpan[]> {
    return new Promise((resolve, reject) => {
      const check = () => {
        if (!accept(this.spans)) return;
        cleanUp();
        resolve(this.spans);
      };
      const timer = setTimeout(() => {
        cleanUp();
        reject(new Error(`spans not as expected within ${timeoutMs} ms; received: ${this.spans.map((s) => `${s.service}:${s.name}`).join(', ')}`));
      }, timeoutMs);
      const cleanUp = () => {
        clearTimeout(timer);
        this.waiters.delete(check);
      };
      this.waiters.add(check);
      check();
    });
  }

  stop(): Promise<void> {
    return new Promise((resolve) => this.server.close(() => resolve()));
  }

  private handle(request: IncomingMessage, response: ServerResponse): void {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const body = Buffer.concat(chunks);
      this.requests += 1;
      this.bytes += body.length;
      if (request.method !== 'POST' || request.url !== '/v1/traces') {
        response.writeHead(404).end();
        return;
      }
      const json = (request.headers['content-type'] ?? '').includes('json');
      if ((request.headers['content-type'] ?? '').includes('protobuf')) this.protobufRequests += 1;
      if (json) {
        const raw = request.headers['content-encoding'] === 'gzip' ? gunzipSync(body) : body;
        this.receive(JSON.parse(raw.toString('utf8')) as OtlpExport);
      }
      // an empty ExportTraceServiceResponse: everything accepted
      if (json) response.writeHead(200, { 'content-type': 'application/json' }).end('{}');
      else response.writeHead(200, { 'content-type': 'application/x-protobuf' }).end();
    });
  }

  private receive(data: OtlpExport): void {
    for (const resourceSpans of data.resourceSpans ?? []) {
      const resource = attributesOf(resourceSpans.resource?.attributes);
      for (const scopeSpans of resourceSpans.scopeSpans ?? []) {
        for (const span of scopeSpans.spans ?? []) {
          this.spans.push({
            traceId: span.traceId,
            spanId: span.spanId,
            ...(span.parentSpanId ? { parentSpanId: span.parentSpanId } : {}),
            name: span.name,
            kind: span.kind ?? 0,
            startMs: Number(BigInt(span.startTimeUnixNano) / 1_000n) / 1_000,
            endMs: Number(BigInt(span.endTimeUnixNano) / 1_000n) / 1_000,
            attributes: attributesOf(span.attributes),
            service: String(resource['service.name'] ?? ''),
            instance: String(resource['service.instance.id'] ?? ''),
            status: span.status?.code ?? 0,
          });
        }
      }
    }
    for (const waiter of [...this.waiters]) waiter();
  }
}

function attributesOf(list: OtlpKeyValue[] | undefined): Record<string, string | number | boolean> {
  const attributes: Record<string, string | number | boolean> = {};
  for (const { key, value } of list ?? []) {
    if (value.stringValue !== undefined) attributes[key] = value.stringValue;
    else if (value.intValue !== undefined) attributes[key] = Number(value.intValue);
    else if (value.doubleValue !== undefined) attributes[key] = value.doubleValue;
    else if (value.boolValue !== undefined) attributes[key] = value.boolValue;
  }
  return attributes;
}
