export * from './lib/bff-web.options';
export * from './lib/bff-web.module';
export { WebRoute, WEB_ROUTE_METADATA, type WebRouteKind } from './lib/routing/web-route';
export { browserVerdict, normalizeOrigin } from './lib/routing/browser-checks';
export { safeReturnTo } from './lib/routing/return-to';
export { publicOrigin } from './lib/routing/public-origin';
