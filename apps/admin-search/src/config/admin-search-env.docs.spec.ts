import { describeConfigurationDocs } from '@sg/testing';
import { AdminSearchEnv } from './admin-search-env';

describeConfigurationDocs('admin-search', AdminSearchEnv);
