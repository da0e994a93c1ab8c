import { DynamicModule, Module } from '@nestjs/common';
import { PrometheusModule } from '@willsoto/nestjs-prometheus';

/**
 * The period of the timer prom-client times the event loop with (`nodejs_eventloop_lag_*`).
 * Its default, 10 ms, wakes an idle process 100 times a second: a third of an idle
 * gateway's CPU (docs/benchmarks.md, "Timers that woke an idle gateway"). At 50 ms a stall
 * the alerts care about (over 200 ms) still shows in full; every reading includes the
 * period, so a healthy process reads about 50 ms.
 */
export const EVENT_LOOP_LAG_SAMPLE_MS = 50;

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
          defaultMetrics: { enabled: true, config: { eventLoopMonitoringPrecision: EVENT_LOOP_LAG_SAMPLE_MS } },
          defaultLabels: { app },
        }),
      ],
      exports: [PrometheusModule],
    };
  }
}
