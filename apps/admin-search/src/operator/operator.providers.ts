import { Provider } from '@nestjs/common';
import { type RedisConnection, RedisOperatorActionLog } from '@sg/cluster';
import { METRIC } from '@sg/metrics';
import { REDIS_COMMANDS } from '@sg/platform';
import { makeCounterProvider } from '@willsoto/nestjs-prometheus';
import { NodeLifecycleView } from './node-lifecycle.view';
import { OperatorActionsService } from './operator-actions.service';

/** Operator actions: the service, its log in Redis, its counter, and the nodes' lifecycle as heard. */
export const operatorProviders: Provider[] = [
  OperatorActionsService,
  NodeLifecycleView,
  { provide: RedisOperatorActionLog, inject: [REDIS_COMMANDS], useFactory: (redis: RedisConnection) => new RedisOperatorActionLog(redis) },
  makeCounterProvider({
    name: METRIC.adminActionsTotal,
    help: 'Operator actions by action (kick, close-room, drain, undrain) and result (ok, not-found, timeout, error).',
    labelNames: ['action', 'result'],
  }),
];
