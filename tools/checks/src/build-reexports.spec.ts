import { readFileSync } from 'node:fs';
import path from 'node:path';
import { transformSync } from '@swc/core';

const root = path.resolve(__dirname, '../../..');
// tools/build is plain Node (no project of its own): its build-time transforms are checked here.
const { shareReexportGetters } = require(path.join(root, 'tools/build/share-reexport-getters.cjs')) as {
  shareReexportGetters(code: string, file: string): string;
};

/** Compiles TypeScript as the app build does (.swcrc) to CommonJS. */
function compile(source: string): string {
  const swcrc = JSON.parse(readFileSync(path.join(root, '.swcrc'), 'utf8')) as Record<string, unknown>;
  return transformSync(source, { ...swcrc, $schema: undefined, exclude: undefined, filename: 'x.ts', sourceMaps: false } as never).code;
}

/** Evaluates CommonJS modules given as name → code; `require('./name')` links them. */
function link(modules: Record<string, string>): (name: string) => Record<string, unknown> {
  const cache = new Map<string, { exports: Record<string, unknown> }>();
  const load = (name: string): Record<string, unknown> => {
    const cached = cache.get(name);
    if (cached) return cached.exports;
    const module = { exports: {} as Record<string, unknown> };
    cache.set(name, module);
    new Function('module', 'exports', 'require', modules[name] as string)(module, module.exports, (n: string) => load(n.replace(/^\.\//, '')));
    return module.exports;
  };
  return load;
}

describe('build: barrels share their modules’ own export getters (tools/build/share-reexport-getters.cjs)', () => {
  const lib = compile('export let counter = 0;\nexport function bump(): number { return ++counter; }');
  const barrel = compile("export * from './lib';");

  it('re-exports each name through the source module’s own getter, keeping live bindings', () => {
    const load = link({ lib, barrel: shareReexportGetters(barrel, 'barrel.js') });
    const index = load('barrel');
    const source = load('lib');
    expect(Object.getOwnPropertyDescriptor(index, 'bump')?.get).toBe(Object.getOwnPropertyDescriptor(source, 'bump')?.get);
    (index['bump'] as () => number)();
    expect(index['counter']).toBe(1);
  });

  it('differs from what SWC emits (which wraps every name in one shared closure)', () => {
    const load = link({ lib, barrel });
    expect(Object.getOwnPropertyDescriptor(load('barrel'), 'bump')?.get).not.toBe(Object.getOwnPropertyDescriptor(load('lib'), 'bump')?.get);
  });

  it('keeps the closure for a module whose exports are plain properties', () => {
    const load = link({ lib: 'exports.answer = 42;', barrel: shareReexportGetters(barrel, 'barrel.js') });
    expect(load('barrel')['answer']).toBe(42);
  });

  it('keeps the line count (source maps) and leaves modules without the helper alone', () => {
    expect(shareReexportGetters(barrel, 'barrel.js').split('\n')).toHaveLength(barrel.split('\n').length);
    expect(shareReexportGetters(lib, 'lib.js')).toBe(lib);
  });

  it('fails the build when SWC’s helper changes shape', () => {
    expect(() => shareReexportGetters('function _export_star(from, to) { return from; }', 'x.js')).toThrow(/changed shape/);
  });
});
