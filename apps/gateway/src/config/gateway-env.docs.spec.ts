import { describeConfigurationDocs } from '@sg/testing';
import { GatewayEnv } from './gateway-env';

describeConfigurationDocs('gateway', GatewayEnv);
