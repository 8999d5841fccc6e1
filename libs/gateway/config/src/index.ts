export type * from './lib/types/gateway-config.types';
export type * from './lib/types/cluster-config.types';
export type * from './lib/types/route-config.types';
export type * from './lib/types/policy-config.types';
export type { ConfigProblem } from './lib/problems';
export { gatewayConfigJsonSchema } from './lib/schema/gateway-config.schema';
export { validateSchema } from './lib/schema-validation';
export { runSemanticChecks } from './lib/semantic-checks';
export { DEFAULTS as GATEWAY_CONFIG_DEFAULTS, HARD_LIMITS as GATEWAY_CONFIG_HARD_LIMITS } from './lib/defaults';
