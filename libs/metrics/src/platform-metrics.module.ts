import { DynamicModule, Module } from '@nestjs/common';
import { PrometheusModule } from '@willsoto/nestjs-prometheus';

/** GET /metrics in Prometheus text format, with Node process metrics, for every app. */
@Module({})
export class PlatformMetricsModule {
  static forRoot(app: string): DynamicModule {
    return {
      module: PlatformMetricsModule,
      global: true,
      imports: [
        PrometheusModule.register({
          path: '/metrics',
          defaultMetrics: { enabled: true },
          defaultLabels: { app },
        }),
      ],
      exports: [PrometheusModule],
    };
  }
}
