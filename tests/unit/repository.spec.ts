/**
 * The repository explains itself (issue 8, item 9): ARCHITECTURE.md at the root covers each
 * folder's job, the layers, how data flows, the rule that the engine computes every answer and
 * where to add a lesson, a checkpoint, a scenario and a drill kind; every file it names under a
 * top-level folder exists (so it follows moves and splits); and no file points at something outside the repository: no
 * relative path climbs above the repository's root, and no absolute path names the folder the clone sits in (a clone
 * elsewhere has neither).
 */
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { basename, dirname, join, relative, resolve, sep } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = resolve(import.meta.dirname, '../..');
const SKIP_DIRS = new Set(['node_modules', 'dist', 'dist-base', '.astro', '.git', 'test-results', 'screenshots']);
const TEXT = /\.(ts|tsx|astro|mdx|md|yaml|yml|json|mjs|js|css)$/;

function textFiles(dir = ROOT, out: string[] = []): string[] {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.isDirectory()) {
      if (!SKIP_DIRS.has(entry.name)) textFiles(join(dir, entry.name), out);
    } else if (TEXT.test(entry.name) && entry.name !== 'package-lock.json') out.push(join(dir, entry.name));
  }
  return out;
}

describe('the repository explains itself', () => {
  const architecture = readFileSync(join(ROOT, 'ARCHITECTURE.md'), 'utf8');

  it('ARCHITECTURE.md has the rule, the folders and layers, the data flows and where to add each kind of thing', () => {
    const headings = [...architecture.matchAll(/^## (.+)$/gm)].map((m) => m[1]);
    expect(headings).toEqual(
      expect.arrayContaining([
        'The rule above all: the engine computes every answer',
        'Folders and layers',
        'How data flows',
        'Where to add…',
      ]),
    );
    for (const what of ['a lesson', 'a checkpoint', 'a scenario', 'a drill kind']) expect(architecture).toContain(`- **${what}:**`);
    for (const folder of ['content/', 'engine/', 'exercises/', 'grader/', 'cli/', 'site/', 'tests/', 'bench/'])
      expect(architecture).toMatch(new RegExp(`^${folder}\\s`, 'm'));
  });

  it('every repository path ARCHITECTURE.md names in backticks exists', () => {
    const paths = [...architecture.matchAll(/`((?:content|engine|exercises|grader|cli|site|tests|bench)\/[A-Za-z0-9_./-]+\.[a-z]+)`/g)].map(
      (m) => m[1],
    );
    expect(paths.length).toBeGreaterThan(10);
    // content/lessons/NN-slug.mdx is the naming pattern for a new lesson, not a file
    expect(paths.filter((p) => !p.includes('NN-slug') && !existsSync(join(ROOT, p)))).toEqual([]);
  });

  it('no file points at a file outside the repository', () => {
    // A climb like `../../engine/index.ts` may be relative to another folder than the file's own (a learner's file,
    // Astro's srcDir): it is fine when it lands inside the repository from the file's folder, or names a top-level
    // entry of the repository after the climb. Anything else names a place a clone does not have.
    const parent = dirname(ROOT) + sep;
    const insideRoot = (path: string) => path === ROOT || path.startsWith(ROOT + sep);
    const offenders = textFiles().flatMap((f) => {
      const text = readFileSync(f, 'utf8');
      const climbing = [...text.matchAll(/(?:\.\.\/)+([\w.-]+)/g)]
        .filter((m) => !insideRoot(resolve(dirname(f), m[0])) && m[1] !== '..' && !existsSync(join(ROOT, m[1])))
        .map((m) => m[0]);
      const absolute = text
        .split(parent)
        .slice(1)
        .filter((after) => !after.startsWith(basename(ROOT) + sep))
        .map((after) => parent + after.slice(0, 20));
      return [...climbing, ...absolute].map((p) => `${relative(ROOT, f)}: ${p}`);
    });
    expect(offenders).toEqual([]);
  });
});
