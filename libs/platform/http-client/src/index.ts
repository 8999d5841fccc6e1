export { currentRequestContext } from '@edge/observability';
