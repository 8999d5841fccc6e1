/** What the domain services answer: their published views (@edge/contracts-domain). */
export type { Money as UpstreamMoney, OrderView as UpstreamOrder, Page as UpstreamPage, ProductView as UpstreamProduct } from '@edge/contracts-domain';
