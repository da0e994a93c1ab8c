import { DynamicModule, Module } from '@nestjs/common';
import { ConfigModule } from '@nestjs/config';
import { ClientsModule } from '@nestjs/microservices';
import { ProbePeerFactory } from '@sg/room';
import { gatewayMetricProviders, PlatformMetricsModule } from '@sg/metrics';
import { PlatformHealthModule, PlatformLoggerModule, PlatformRedisModule, redisTransportOptions } from '@sg/platform';
import { AccessService } from './auth/access.service';
import { gatewayClusterProviders } from './cluster/gateway-cluster.providers';
import { APPS_CLIENT, NodeLifecycleNotifier } from './cluster/node-lifecycle.notifier';
import { NodeLivenessService } from './cluster/node-liveness.service';
import { GatewayConfig } from './config/gateway-config';
import { DrainService } from './drain/drain.service';
import { SignalingMetrics } from './metrics/signaling-metrics';
import { nodeOperatorController } from './operator/node-operator.controller';
import { NodeOperatorService } from './operator/node-operator.service';
import { ProbeService } from './probe/probe.service';
import { WeriftProbePeerFactory } from './probe/werift-probe-peer';
import { rateLimitProviders } from './rate-limit/rate-limit.providers';
import { resumeProviders } from './resume/resume.providers';
import { AdmissionService } from './signaling/admission.service';
import { DepartureService } from './signaling/departure.service';
import { SignalDispatcher } from './signaling/signal-dispatcher';
import { SignalingGateway } from './signaling/signaling.gateway';
import { tracingProviders } from './tracing/tracing.providers';
import { ConnectivityPageController } from './web/connectivity-page.controller';

/** Composition root of the gateway. */
@Module({})
export class GatewayModule {
  static forRoot(config: GatewayConfig): DynamicModule {
    return {
      module: GatewayModule,
      imports: [
        ConfigModule.forRoot({ ignoreEnvFile: true, isGlobal: true, load: [() => ({ gateway: config })] }),
        // no HTTP request context: on Node 20 it turns async hooks on for good (PlatformLoggerOptions)
        PlatformLoggerModule.forRoot({ level: config.logLevel, format: config.logFormat, app: 'gateway', nodeId: config.nodeId, requestContext: false }),
        PlatformRedisModule.forRoot({ redis: config.redis, nodeId: config.nodeId, app: 'gateway' }),
        PlatformMetricsModule.forRoot('gateway'),
        PlatformHealthModule.forRoot(),
        ClientsModule.register([{ name: APPS_CLIENT, ...redisTransportOptions(config.redis) }]),
      ],
      controllers: [nodeOperatorController(config.nodeId), ConnectivityPageController],
      providers: [
        { provide: GatewayConfig, useValue: config },
        ...gatewayMetricProviders,
        SignalingMetrics,
        ...gatewayClusterProviders,
        ...tracingProviders,
        ...rateLimitProviders,
        ...resumeProviders,
        AccessService,
        AdmissionService,
        DepartureService,
        SignalDispatcher,
        SignalingGateway,
        NodeLivenessService,
        NodeLifecycleNotifier,
        DrainService,
        NodeOperatorService,
        { provide: ProbePeerFactory, useClass: WeriftProbePeerFactory },
        ProbeService,
      ],
    };
  }
}
