import { describeConfigurationDocs } from '@sg/testing';
import { IndexerEnv } from './indexer-env';

describeConfigurationDocs('diagnostics-indexer', IndexerEnv);
