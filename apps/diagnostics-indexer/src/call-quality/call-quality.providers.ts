import { callQualityMetricProviders } from '@sg/metrics';
import { CallQualityMetrics } from './call-quality-metrics';

/** The call-quality metrics and what feeds them; the indexer's store is wrapped in `CallQualityRecordingStore` where `SessionIndexer` is built. */
export const callQualityProviders = [...callQualityMetricProviders, CallQualityMetrics];
