import type { BffEndpoint } from '../bff-endpoint';
import type { HttpClient } from '@edge/http-client';

/** Any endpoint whose parts call http clients (the type parameters are erased for registration). */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- input/output types vary per endpoint; registration only needs names and binding
export type RegisteredEndpoint = BffEndpoint<any, object, HttpClient>;

export const COMPOSITION_ENDPOINTS = Symbol('COMPOSITION_ENDPOINTS');
