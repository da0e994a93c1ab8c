import { METRIC, SEARCH_DURATION_BUCKETS } from '@sg/metrics';
import { makeCounterProvider, makeGaugeProvider, makeHistogramProvider } from '@willsoto/nestjs-prometheus';
import { AdminSearchConfig } from '../config/admin-search-config';
import { SearchAdmission } from './search-admission';

/** The search bound (SEARCH_TIMEOUT_MS, SEARCH_CONCURRENCY, SEARCH_QUEUE_MAX) and the search metrics. */
export const sessionSearchProviders = [
  { provide: SearchAdmission, inject: [AdminSearchConfig], useFactory: (config: AdminSearchConfig) => new SearchAdmission(config.search) },
  makeHistogramProvider({
    name: METRIC.adminSearchDurationSeconds,
    help: 'Session searches from admission to answer, by outcome: ok, invalid (400), timeout and rejected (503), error.',
    labelNames: ['outcome'],
    buckets: SEARCH_DURATION_BUCKETS,
  }),
  makeGaugeProvider({ name: METRIC.adminSearchQueueDepth, help: 'Session searches waiting for a turn (SEARCH_QUEUE_MAX bounds it).' }),
  makeGaugeProvider({ name: METRIC.adminSearchesRunning, help: 'Session searches running (SEARCH_CONCURRENCY bounds it).' }),
  makeCounterProvider({ name: METRIC.adminSearchTimeoutsTotal, help: 'Session searches cancelled at SEARCH_TIMEOUT_MS and answered 503.' }),
];
