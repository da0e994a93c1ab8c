import { DynamicModule, Module } from '@nestjs/common';
import { ConfigModule } from '@nestjs/config';
import { gatewayMetricProviders } from '@sg/metrics';
import { PlatformHealthModule, PlatformLoggerModule, PlatformRedisModule } from '@sg/platform';
import { PlatformMetricsModule } from '@sg/metrics';
import { AccessService } from './auth/access.service';
import { gatewayClusterProviders } from './cluster/gateway-cluster.providers';
import { NodeLivenessService } from './cluster/node-liveness.service';
import { GatewayConfig } from './config/gateway-config';
import { DrainService } from './drain/drain.service';
import { SignalingMetrics } from './metrics/signaling-metrics';
import { rateLimitProviders } from './rate-limit/rate-limit.providers';
import { resumeProviders } from './resume/resume.providers';
import { AdmissionService } from './signaling/admission.service';
import { DepartureService } from './signaling/departure.service';
import { SignalDispatcher } from './signaling/signal-dispatcher';
import { SignalingServer } from './signaling/signaling.server';

/** Composition root of the gateway. */
@Module({})
export class GatewayModule {
  static forRoot(config: GatewayConfig): DynamicModule {
    return {
      module: GatewayModule,
      imports: [
        ConfigModule.forRoot({ ignoreEnvFile: true, isGlobal: true, load: [() => ({ gateway: config })] }),
        PlatformLoggerModule.forRoot({ level: config.logLevel, app: 'gateway', nodeId: config.nodeId }),
        PlatformRedisModule.forRoot({ url: config.redisUrl, nodeId: config.nodeId, app: 'gateway' }),
        PlatformMetricsModule.forRoot('gateway'),
        PlatformHealthModule.forRoot(),
      ],
      providers: [
        { provide: GatewayConfig, useValue: config },
        ...gatewayMetricProviders,
        SignalingMetrics,
        ...gatewayClusterProviders,
        ...rateLimitProviders,
        ...resumeProviders,
        AccessService,
        AdmissionService,
        DepartureService,
        SignalDispatcher,
        SignalingServer,
        NodeLivenessService,
        DrainService,
      ],
    };
  }
}
