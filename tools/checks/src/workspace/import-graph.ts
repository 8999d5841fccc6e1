import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

interface Project {
  name: string;
  root: string;
  implicitDependencies: string[];
}

function walk(dir: string, keep: (file: string) => boolean): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return ['node_modules', 'dist', 'tmp', '.nx', '.git'].includes(entry.name) ? [] : walk(full, keep);
    return keep(full) ? [full] : [];
  });
}

/**
 * Which projects a project depends on, read straight from the sources: every `@edge/...`
 * import of any of its files (tests too, as Nx counts them), resolved through
 * tsconfig.base.json's paths, plus `implicitDependencies`. Independent of Nx on purpose:
 * the tests of tools/affected-deployables compare Nx's answer with this one.
 */
export class ImportGraph {
  private readonly projects: Project[];
  private readonly byAlias = new Map<string, Project>();
  private readonly direct = new Map<Project, Project[]>();

  constructor(private readonly root: string) {
    this.projects = walk(root, (f) => path.basename(f) === 'project.json').map((file) => {
      const json = JSON.parse(readFileSync(file, 'utf8')) as { name: string; implicitDependencies?: string[] };
      return { name: json.name, root: path.dirname(file), implicitDependencies: json.implicitDependencies ?? [] };
    });
    const { compilerOptions } = JSON.parse(readFileSync(path.join(root, 'tsconfig.base.json'), 'utf8')) as { compilerOptions: { paths: Record<string, string[]> } };
    for (const [alias, [target]] of Object.entries(compilerOptions.paths)) {
      const file = path.resolve(root, target ?? '');
      const owner = this.ownerOf(file);
      if (owner) this.byAlias.set(alias, owner);
    }
  }

  /** The project whose root is the deepest one containing `file`. */
  ownerOf(file: string): Project | undefined {
    return this.projects.filter((p) => file === p.root || file.startsWith(p.root + path.sep)).sort((a, b) => b.root.length - a.root.length)[0];
  }

  private directDependencies(project: Project): Project[] {
    const cached = this.direct.get(project);
    if (cached) return cached;
    const found = new Set<Project>();
    const own = (file: string) => this.ownerOf(file) === project;
    for (const file of walk(project.root, (f) => /\.(ts|tsx|js|mjs|cjs)$/.test(f) && own(f))) {
      for (const [, alias] of readFileSync(file, 'utf8').matchAll(/(?:from\s+|import\(\s*|require\(\s*)'(@edge\/[\w-]+)'/g)) {
        const target = this.byAlias.get(alias as string);
        if (target && target !== project) found.add(target);
      }
    }
    for (const name of project.implicitDependencies) {
      const target = this.projects.find((p) => p.name === name);
      if (target) found.add(target);
    }
    this.direct.set(project, [...found]);
    return [...found];
  }

  /** Names of the projects `name` depends on, directly or not. */
  dependenciesOf(name: string): Set<string> {
    const start = this.projects.find((p) => p.name === name);
    if (!start) throw new Error(`no project ${name}`);
    const seen = new Set<Project>();
    const visit = (p: Project) => {
      for (const d of this.directDependencies(p)) {
        if (!seen.has(d)) {
          seen.add(d);
          visit(d);
        }
      }
    };
    visit(start);
    return new Set([...seen].map((p) => p.name));
  }

  /** The project owning a workspace-relative file. */
  projectOf(relativeFile: string): string | undefined {
    const file = path.join(this.root, relativeFile);
    return existsSync(file) ? this.ownerOf(file)?.name : undefined;
  }
}
