import { readFileSync } from 'node:fs';
import path from 'node:path';
import { workspaceRoot } from './k8s/render-overlay';

interface LockEntry {
  version?: string;
  link?: boolean;
  dependencies?: Record<string, string>;
  devDependencies?: Record<string, string>;
  optionalDependencies?: Record<string, string>;
}

const lock = JSON.parse(readFileSync(path.join(workspaceRoot, 'package-lock.json'), 'utf8')) as { lockfileVersion: number; packages: Record<string, LockEntry> };
const manifest = JSON.parse(readFileSync(path.join(workspaceRoot, 'package.json'), 'utf8')) as Record<'dependencies' | 'devDependencies', Record<string, string>>;

/** The packages every app and lib is built on: one version in the whole workspace, upgraded together. */
const FRAMEWORK = [
  /^@nestjs\//,
  /^nx$/,
  /^@nx\//,
  /^fastify$/,
  /^@fastify\//,
  /^typescript$/,
  /^jest$/,
  /^@swc\/(core|jest|helpers)$/,
  /^undici$/,
  /^pino$/,
  /^pino-http$/,
  /^nestjs-pino$/,
  /^opossum$/,
  /^ioredis$/,
  /^rxjs$/,
  /^reflect-metadata$/,
  /^prom-client$/,
  /^jose$/,
  /^oidc-provider$/,
  /^openid-client$/,
  /^passport(-jwt)?$/,
  /^class-(validator|transformer)$/,
  /^eslint$/,
  /^typescript-eslint$/,
  /^@typescript-eslint\//,
];

/**
 * Splits that exist today, each with why and how it ends. An entry whose split is gone fails
 * the test, so the list cannot outlive the problem.
 */
const KNOWN_SPLITS: Record<string, string> = {};

/** name → versions found anywhere in node_modules (nested copies included). */
function installedVersions(): Map<string, Set<string>> {
  const versions = new Map<string, Set<string>>();
  for (const [location, entry] of Object.entries(lock.packages)) {
    if (!location || entry.link || !entry.version) continue;
    const name = location.slice(location.lastIndexOf('node_modules/') + 'node_modules/'.length);
    versions.set(name, (versions.get(name) ?? new Set<string>()).add(entry.version));
  }
  return versions;
}

const isFramework = (name: string) => FRAMEWORK.some((pattern) => pattern.test(name));

describe('single version policy (package-lock.json)', () => {
  const versions = installedVersions();
  const framework = [...versions.keys()].filter(isFramework).sort();

  it('reads a lock file with the framework in it', () => {
    expect(lock.lockfileVersion).toBeGreaterThanOrEqual(2);
    expect(framework).toEqual(expect.arrayContaining(['@nestjs/core', 'nx', 'fastify', 'typescript', 'jest', 'undici', 'pino', 'opossum', 'ioredis']));
  });

  it('resolves every framework package to exactly one version across the lock file', () => {
    const split = framework.filter((name) => (versions.get(name)?.size ?? 0) > 1).map((name) => `${name}: ${[...(versions.get(name) ?? [])].sort().join(', ')}`);
    const unexplained = split.filter((line) => !Object.prototype.hasOwnProperty.call(KNOWN_SPLITS, line.split(':')[0] as string));
    expect(unexplained).toEqual([]);
  });

  it('lists only known splits that still exist', () => {
    for (const name of Object.keys(KNOWN_SPLITS)) {
      expect({ name, stillSplit: (versions.get(name)?.size ?? 0) > 1 }).toEqual({ name, stillSplit: true });
    }
  });

  it('pins framework packages exactly in package.json, at the version installed', () => {
    const declared = { ...manifest.dependencies, ...manifest.devDependencies };
    for (const [name, range] of Object.entries(declared).filter(([name]) => isFramework(name))) {
      const hoisted = lock.packages[`node_modules/${name}`]?.version;
      expect({ name, range }).toEqual({ name, range: hoisted });
    }
  });

  it('moves Nx and its plugins together, and the Nest packages on one major', () => {
    const nx = framework.filter((name) => name === 'nx' || name.startsWith('@nx/')).map((name) => [...(versions.get(name) ?? [])]);
    expect(new Set(nx.flat()).size).toBe(1);
    const nestMajors = ['@nestjs/common', '@nestjs/core', '@nestjs/platform-fastify', '@nestjs/testing'].map((name) => lock.packages[`node_modules/${name}`]?.version?.split('.')[0]);
    expect(new Set(nestMajors).size).toBe(1);
  });
});
