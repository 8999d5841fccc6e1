'use strict';
// SWC compiles `export * from './x'` to an `_export_star` helper that re-exports every name
// through one shared closure, `function() { return from[k]; }`. Every call into a library
// through its barrel (`@edge/observability`, ...) then pays a getter call and a megamorphic
// keyed load: ≈ 0.7 µs a request on the gateway's hot path (perf, 2026-11-30). The modules
// SWC compiles define each export as its own getter returning the live binding, so the barrel
// can reuse that getter: same live binding, one monomorphic load. Modules without such a
// getter (plain CommonJS) keep the closure. The helper keeps its line count, so the source maps
// still match.

const SWC_EXPORT_STAR = `function _export_star(from, to) {
    Object.keys(from).forEach(function(k) {
        if (k !== "default" && !Object.prototype.hasOwnProperty.call(to, k)) {
            Object.defineProperty(to, k, {
                enumerable: true,
                get: function() {
                    return from[k];
                }
            });
        }
    });
    return from;
}`;

const SHARED_GETTERS = `function _export_star(from, to) {
    Object.keys(from).forEach(function(k) {
        if (k !== "default" && !Object.prototype.hasOwnProperty.call(to, k)) {
            Object.defineProperty(to, k, {
                enumerable: true,
                get: (Object.getOwnPropertyDescriptor(from, k) || {}).get || function() {
                    return from[k];
                }
            });
        }
    });
    return from;
}`;

/**
 * The module's code with SWC's `_export_star` helper replaced by one that shares the source
 * module's own getters. Throws when the module defines a helper of another shape (a new SWC
 * version): the build must not silently lose this.
 */
function shareReexportGetters(code, file) {
  if (!code.includes('function _export_star(')) return code;
  if (!code.includes(SWC_EXPORT_STAR)) throw new Error(`${file}: SWC's _export_star helper changed shape; update tools/build/share-reexport-getters.cjs`);
  return code.replace(SWC_EXPORT_STAR, SHARED_GETTERS);
}

module.exports = { shareReexportGetters };
