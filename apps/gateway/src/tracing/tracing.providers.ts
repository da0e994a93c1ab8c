import { Provider } from '@nestjs/common';
import { trace } from '@opentelemetry/api';
import { RoomHub } from '@sg/room';
import { GatewayConfig } from '../config/gateway-config';
import { SessionTracing } from './session-tracing';

/** SessionTracing, on when an OTLP endpoint is configured (main.ts started the SDK then). */
export const tracingProviders: Provider[] = [
  {
    provide: SessionTracing,
    inject: [GatewayConfig, RoomHub],
    useFactory: (config: GatewayConfig, hub: RoomHub) => new SessionTracing(config.nodeId, config.tracing ? trace.getTracer('gateway') : null, hub),
  },
];
