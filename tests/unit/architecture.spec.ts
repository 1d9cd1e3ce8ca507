/**
 * The layers stay true: every import of every .ts / .tsx / .astro / .mdx file in the repository is
 * read (with TypeScript's own pre-processor, so imports inside strings and comments do not count)
 * and checked against the rules of the layout:
 *
 * 1. engine/ is self-contained: it imports nothing outside engine/. Its source files import no
 *    package and no `node:` module either (specs may use vitest, fast-check and kafkajs).
 * 2. Outside engine/, engine/ is reached only through engine/index.ts.
 * 3. No import cycle inside engine/ (type-only imports count: a lower layer never names an upper
 *    layer's types).
 * 4. grader/ imports nothing from site/ and touches no environment: its Web Worker entry lives in
 *    site/workers/, its CLI in cli/ (its specs and test fixtures may use Node).
 * 5. engine/ and grader/ import nothing from exercises/; exercises/ reach the grader only through
 *    grader/index.ts, and everyone reaches exercises/ only through exercises/index.ts.
 * 5b. Outside grader/, grader/ is reached only through grader/index.ts (site, cli, content, tests, bench).
 * 6. No cycle between top-level folders (a lesson's .mdx and spec files aside: an MDX file is
 *    content the site renders with the site's components, and a spec is a leaf).
 *
 * A failure names the file, the import as written, and the rule it breaks.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const ROOT = resolve(import.meta.dirname, '../..');
const SKIP_DIRS = new Set(['node_modules', 'dist', '.astro', '.git', 'test-results', 'screenshots']);
const SOURCE = /\.(ts|tsx|astro|mdx)$/;

/** Packages an engine spec may import (test tools and the golden-vector source); engine source imports none. */
const ENGINE_SPEC_PACKAGES = /^(vitest|fast-check|kafkajs)(\/|$)|^node:/;

function walk(dir: string, out: string[] = []): string[] {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.isDirectory()) {
      if (!SKIP_DIRS.has(entry.name)) walk(join(dir, entry.name), out);
    } else if (SOURCE.test(entry.name)) out.push(join(dir, entry.name));
  }
  return out;
}

/** The script parts of a file: all of a .ts/.tsx; an .astro's frontmatter and <script>s; an .mdx's import/export lines. */
function scriptOf(file: string, text: string): string {
  if (file.endsWith('.astro')) {
    const parts: string[] = [];
    const fm = /^---\r?\n([\s\S]*?)\r?\n---/.exec(text);
    if (fm) parts.push(fm[1]);
    for (const m of text.matchAll(/<script\b[^>]*>([\s\S]*?)<\/script>/g)) parts.push(m[1]);
    return parts.join('\n');
  }
  if (file.endsWith('.mdx')) {
    return text
      .split('\n')
      .filter((l) => /^(import|export)\s/.test(l))
      .join('\n');
  }
  return text;
}

/** Every module specifier a file imports or re-exports, static or dynamic. */
export function importsOf(file: string, text: string): string[] {
  return ts.preProcessFile(scriptOf(file, text), true, true).importedFiles.map((f) => f.fileName);
}

interface Edge {
  from: string;
  spec: string;
  /** repository-relative target for a relative import; null for a package or node: module */
  to: string | null;
}

function edgesOf(files: Map<string, string>): Edge[] {
  const edges: Edge[] = [];
  for (const [rel, text] of files) {
    for (const spec of importsOf(rel, text)) {
      const relative_ = spec.startsWith('.') || spec.startsWith('/');
      const to = relative_
        ? relative(ROOT, spec.startsWith('/') ? join(ROOT, spec) : resolve(ROOT, dirname(rel), spec))
            .split('\\')
            .join('/')
        : null;
      edges.push({ from: rel, spec, to });
    }
  }
  return edges;
}

const isSpec = (f: string) => /\.spec(-helpers)?\.ts$|\.spec\.ts$/.test(f) || f.includes('.spec-helpers.');
const inDir = (f: string | null, dir: string) => f !== null && (f === dir || f.startsWith(`${dir}/`));

/** Rule violations over a set of files (repository-relative path → text). */
export function violations(files: Map<string, string>): string[] {
  const out: string[] = [];
  const edges = edgesOf(files);
  for (const e of edges) {
    const where = `${e.from} imports '${e.spec}'`;
    if (inDir(e.from, 'engine')) {
      if (e.to !== null && !inDir(e.to, 'engine')) out.push(`${where}: engine/ imports nothing outside engine/`);
      if (e.to === null && !(isSpec(e.from) && ENGINE_SPEC_PACKAGES.test(e.spec))) {
        out.push(`${where}: engine/ source imports no package, no node: module and no DOM API`);
      }
    } else if (inDir(e.to, 'engine') && e.to !== 'engine/index.ts') {
      out.push(`${where}: outside engine/, import engine/index.ts only`);
    }
    if (inDir(e.from, 'grader') && inDir(e.to, 'site')) out.push(`${where}: grader/ never imports site/`);
    if ((inDir(e.from, 'engine') || inDir(e.from, 'grader')) && inDir(e.to, 'exercises')) {
      out.push(`${where}: engine/ and grader/ never import exercises/`);
    } else if (!inDir(e.from, 'exercises') && inDir(e.to, 'exercises') && e.to !== 'exercises/index.ts') {
      out.push(`${where}: outside exercises/, import exercises/index.ts only`);
    }
    if (inDir(e.from, 'grader') && !inDir(e.from, 'grader/fixtures') && e.to === null && /^node:/.test(e.spec) && !isSpec(e.from)) {
      out.push(`${where}: grader/ touches no environment (its entry points live in site/workers/ and cli/)`);
    }
    if (inDir(e.from, 'exercises') && inDir(e.to, 'grader') && e.to !== 'grader/index.ts') {
      out.push(`${where}: exercises/ reach the grader only through grader/index.ts`);
    }
    if (!inDir(e.from, 'grader') && !inDir(e.from, 'exercises') && inDir(e.to, 'grader') && e.to !== 'grader/index.ts') {
      out.push(`${where}: outside grader/, import grader/index.ts only`);
    }
  }
  for (const cycle of cyclesIn(edges.filter((e) => inDir(e.from, 'engine') && inDir(e.to, 'engine')))) {
    out.push(`import cycle in engine/: ${cycle.join(' → ')}`);
  }
  for (const cycle of folderCycles(edges)) out.push(`import cycle between folders: ${cycle}`);
  return out;
}

const folderOf = (f: string) => (f.includes('/') ? f.slice(0, f.indexOf('/')) : '.');

/**
 * Cycles between top-level folders, each written with one import that makes every step
 * (`grader → exercises (grader/worker.ts imports exercises/index.ts) → grader (…)`).
 * Spec files and lessons' .mdx are left out (see rule 6).
 */
function folderCycles(edges: Edge[]): string[] {
  const witness = new Map<string, Edge>();
  const folderEdges: Edge[] = [];
  for (const e of edges) {
    if (e.to === null || isSpec(e.from) || e.from.endsWith('.mdx')) continue;
    const [a, b] = [folderOf(e.from), folderOf(e.to)];
    if (a === b || witness.has(`${a}>${b}`)) continue;
    witness.set(`${a}>${b}`, e);
    folderEdges.push({ from: a, spec: e.spec, to: b });
  }
  return cyclesIn(folderEdges).map((cycle) =>
    cycle
      .map((folder, i) => {
        const e = i + 1 < cycle.length ? witness.get(`${folder}>${cycle[i + 1]}`)! : null;
        return e ? `${folder} (${e.from} imports ${e.to})` : folder;
      })
      .join(' → '),
  );
}

/**
 * One cycle per strongly connected component (Tarjan) with more than one file or a file importing
 * itself, written as a path that starts and ends at the component's first file in sorted order.
 */
function cyclesIn(edges: Edge[]): string[][] {
  const next = new Map<string, string[]>();
  for (const e of edges) next.set(e.from, [...(next.get(e.from) ?? []), e.to!]);
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const out: string[][] = [];
  let counter = 0;
  const visit = (v: string) => {
    index.set(v, counter);
    low.set(v, counter++);
    stack.push(v);
    onStack.add(v);
    for (const w of next.get(v) ?? []) {
      if (!index.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (onStack.has(w)) low.set(v, Math.min(low.get(v)!, index.get(w)!));
    }
    if (low.get(v) === index.get(v)) {
      const scc: string[] = [];
      let w: string;
      do {
        w = stack.pop()!;
        onStack.delete(w);
        scc.push(w);
      } while (w !== v);
      if (scc.length > 1 || (next.get(v) ?? []).includes(v)) out.push(pathBack(scc.sort(), next));
    }
  };
  for (const v of [...next.keys()].sort()) if (!index.has(v)) visit(v);
  return out;
}

/** The shortest import path from the component's first file back to itself (breadth first, inside the component). */
function pathBack(scc: string[], next: Map<string, string[]>): string[] {
  const start = scc[0];
  const inside = new Set(scc);
  const parent = new Map<string, string>();
  const queue = [start];
  while (queue.length) {
    const v = queue.shift()!;
    for (const w of [...(next.get(v) ?? [])].sort()) {
      if (!inside.has(w)) continue;
      if (w === start) {
        const path = [v];
        while (path[0] !== start) path.unshift(parent.get(path[0])!);
        return [...path, start];
      }
      if (!parent.has(w)) {
        parent.set(w, v);
        queue.push(w);
      }
    }
  }
  return [...scc, start];
}

function repositoryFiles(): Map<string, string> {
  const files = new Map<string, string>();
  for (const abs of walk(ROOT)) files.set(relative(ROOT, abs).split('\\').join('/'), readFileSync(abs, 'utf8'));
  return files;
}

describe('architecture: the layers and the module boundaries', () => {
  it('every import in the repository keeps the rules', () => {
    const files = repositoryFiles();
    expect(files.size).toBeGreaterThan(100);
    expect(violations(files)).toEqual([]);
  });

  it('catches a wrong import of each kind (the checker itself works)', () => {
    const files = new Map([
      ['engine/a.ts', "import { b } from './b.ts';\nimport { z } from '../site/lib/z.ts';\nimport { readFileSync } from 'node:fs';"],
      [
        'engine/b.ts',
        "import type { A } from './a.ts';\n// import { c } from '../content/c.ts';\nconst s = \"import x from '../grader/x.ts'\";",
      ],
      ['engine/b.spec.ts', "import { it } from 'vitest';\nimport { b } from './b.ts';"],
      ['site/page.astro', "---\nimport { b } from '../engine/b.ts';\n---\n<p>import { c } from '../engine/c.ts'</p>"],
      ['content/lesson.mdx', "import { murmur2 } from '../engine/index.ts';\n\nSome prose."],
      ['grader/run.ts', "import { s } from '../site/lib/s.ts';\nimport { e } from '../exercises/index.ts';"],
      ['exercises/x/exercise.ts', "import { defineExercise } from '../../grader/runner.ts';"],
      ['grader/worker.ts', "import { getExercise } from '../exercises/index.ts';\nimport { readFile } from 'node:fs';"],
      ['site/lib/solution.ts', "import s from '../../exercises/x/solution.ts';"],
      ['cli/grade.ts', "import { gradeSource } from '../grader/index.ts';\nimport { transpile } from '../grader/transpile.ts';"],
    ]);
    expect(violations(files)).toEqual([
      "engine/a.ts imports '../site/lib/z.ts': engine/ imports nothing outside engine/",
      "engine/a.ts imports 'node:fs': engine/ source imports no package, no node: module and no DOM API",
      "site/page.astro imports '../engine/b.ts': outside engine/, import engine/index.ts only",
      "grader/run.ts imports '../site/lib/s.ts': grader/ never imports site/",
      "grader/run.ts imports '../exercises/index.ts': engine/ and grader/ never import exercises/",
      "exercises/x/exercise.ts imports '../../grader/runner.ts': exercises/ reach the grader only through grader/index.ts",
      "grader/worker.ts imports '../exercises/index.ts': engine/ and grader/ never import exercises/",
      "grader/worker.ts imports 'node:fs': grader/ touches no environment (its entry points live in site/workers/ and cli/)",
      "site/lib/solution.ts imports '../../exercises/x/solution.ts': outside exercises/, import exercises/index.ts only",
      "cli/grade.ts imports '../grader/transpile.ts': outside grader/, import grader/index.ts only",
      'import cycle in engine/: engine/a.ts → engine/b.ts → engine/a.ts',
      'import cycle between folders: engine (engine/a.ts imports site/lib/z.ts) → site (site/page.astro imports engine/b.ts) → engine',
    ]);
  });
});
