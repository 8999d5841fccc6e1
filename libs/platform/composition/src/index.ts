export type { Composition, PartCallOptions, PartContext, PartFailureReason, PartPolicy, PartSpec, PartStatus, PartWarning, RunOptions, ShapeMeta } from './lib/endpoint-spec';
export { CompositionConfigError } from './lib/validate-endpoint';
export { BffEndpoint, type BoundBffEndpoint, type EndpointOptions } from './lib/bff-endpoint';
export { BffEndpointBuilder, defineBffEndpoint } from './lib/define-bff-endpoint';
export { BffComposer } from './lib/nest/bff-composer';
export { CompositionModule, type CompositionModuleOptions } from './lib/nest/composition.module';
export { PartialResponseInterceptor } from './lib/nest/partial-response.interceptor';
export { compositionOf, isPartialResponse, PARTIAL_RESPONSE_HEADER } from './lib/nest/partial-response';
export type { RegisteredEndpoint } from './lib/nest/composition.providers';
