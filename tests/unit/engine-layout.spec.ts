/**
 * Issue 8's layout of engine/, kept true: one folder per Kafka component (the way Kafka splits
 * clients/producer/internals, clients/consumer/internals, group-coordinator and storage), the
 * scenario machinery and the classic group in separate files, every source file opening with its
 * doc comment, no engine source file longer than 500 lines (split a file by responsibility
 * before it grows past that), and a public surface (engine/index.ts) of what other modules use.
 * A failure names the files or the names.
 */
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const ROOT = resolve(import.meta.dirname, '../..');
const ENGINE = join(ROOT, 'engine');
const MAX_LINES = 500;

/** Engine source files (specs and spec helpers aside), repository-relative. */
function engineSources(dir = ENGINE, out: string[] = []): string[] {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) engineSources(path, out);
    else if (entry.name.endsWith('.ts') && !/\.spec(-helpers)?\.ts$/.test(entry.name)) out.push(relative(ROOT, path).split('\\').join('/'));
  }
  return out.sort();
}

/** Exported from engine/index.ts on purpose though nobody outside uses them yet: the rest of the notation module. */
const NOTATION_MODULE = new Set(['tpKey', 'compareTp', 'partitionLabel', 'formatList', 'formatTpList']);

/** Every name engine/index.ts exports. */
function indexExports(): string[] {
  const source = ts.createSourceFile('index.ts', readFileSync(join(ENGINE, 'index.ts'), 'utf8'), ts.ScriptTarget.Latest, true);
  const names: string[] = [];
  source.forEachChild((node) => {
    if (ts.isExportDeclaration(node) && node.exportClause && ts.isNamedExports(node.exportClause)) {
      for (const e of node.exportClause.elements) names.push(e.name.text);
    }
  });
  return names;
}

/** The text of every file outside engine/ that imports engine/index.ts. */
function engineUsers(dir = ROOT, out: string[] = []): string[] {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (['node_modules', 'dist', '.astro', '.git', 'test-results', 'screenshots'].includes(entry.name)) continue;
    const path = join(dir, entry.name);
    if (entry.isDirectory()) {
      if (path !== ENGINE) engineUsers(path, out);
    } else if (/\.(ts|tsx|astro|mdx)$/.test(entry.name)) {
      const text = readFileSync(path, 'utf8');
      if (text.includes('engine/index')) out.push(text);
    }
  }
  return out;
}

const lineCount = (file: string) => readFileSync(join(ROOT, file), 'utf8').replace(/\n$/, '').split('\n').length;

describe('engine layout (issue 8)', () => {
  const sources = engineSources();

  it('has one folder per Kafka component, each holding source files', () => {
    const folders = [
      'common',
      'producer',
      'assignors',
      'group',
      'consumer',
      'log',
      'replication',
      'cluster',
      'scenario',
      'drills',
      'share',
    ];
    expect(folders.filter((f) => !sources.some((s) => s.startsWith(`engine/${f}/`)))).toEqual([]);
    // nothing but the index at the top: every other file belongs to a component
    expect(sources.filter((s) => !s.slice('engine/'.length).includes('/'))).toEqual(['engine/index.ts']);
  });

  it('keeps the scenario machinery and the classic group in separate files', () => {
    const expected = [
      'engine/scenario/authoring.ts',
      'engine/scenario/trace.ts',
      'engine/scenario/references.ts',
      'engine/scenario/runner.ts',
      'engine/scenario/narration.ts',
      'engine/scenario/snapshot.ts',
      'engine/group/coordinator.ts',
      'engine/group/member.ts',
      'engine/common/notation.ts',
      'engine/common/prng.ts',
      'engine/common/record.ts',
    ];
    expect(expected.filter((f) => !existsSync(join(ROOT, f)))).toEqual([]);
  });

  it(`has no source file longer than ${MAX_LINES} lines`, () => {
    const long = sources.map((f) => `${f}: ${lineCount(f)} lines`).filter((line) => Number(line.split(': ')[1].split(' ')[0]) > MAX_LINES);
    expect(long).toEqual([]);
  });

  it('exports from engine/index.ts only what modules outside engine/ use (and the notation module)', () => {
    const users = engineUsers().join('\n');
    const exported = indexExports();
    expect(exported.length).toBeGreaterThan(50);
    expect(exported.filter((name) => !NOTATION_MODULE.has(name) && !new RegExp(`\\b${name}\\b`).test(users))).toEqual([]);
  });

  it('opens every source file with a doc comment', () => {
    expect(sources.filter((f) => !readFileSync(join(ROOT, f), 'utf8').startsWith('/**'))).toEqual([]);
  });
});

/**
 * Hand-rolled notation: a helper of the notation module's names defined again, a count's word chosen
 * inline (`n === 1 ? '' : 's'`), or a partition written by hand (`${tp.topic}-${tp.partition}`,
 * `${topic}p${partition}`). The course writes these through engine/common/notation.ts (plural,
 * pluralWord, tpKey, formatTp, partitionLabel), reached through engine/index.ts outside engine/.
 */
const HAND_ROLLED: [RegExp, string][] = [
  [
    /\b(?:function|const|let|var)\s+(?:plural|pluralWord|tpKey|parseTpKey|formatTp|partitionLabel|formatTpList)\b/,
    'defines a notation helper again',
  ],
  [/[!=]==\s*1\s*\?\s*'[a-z ]*'\s*:\s*'[a-z ]*'/, 'picks a word by count inline (use plural / pluralWord)'],
  [/\$\{[\w.?]*topic\}(?:-|p)\$\{[\w.?()]*partition\b/, 'writes a partition by hand (use tpKey / formatTp / partitionLabel)'],
];

/** `file:line: why` for each hand-rolled notation in a source text. */
function handRolled(file: string, text: string): string[] {
  return text.split('\n').flatMap((line, i) => HAND_ROLLED.filter(([re]) => re.test(line)).map(([, why]) => `${file}:${i + 1}: ${why}`));
}

/**
 * Source files that write course text: engine/ (but the notation module), site/, content/, exercises/ (but a
 * learner's code: starter, solution and mistakes import nothing), cli/, grader/. Specs and .d.ts aside.
 */
function notationWriters(dir = ROOT, out: string[] = []): string[] {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (['node_modules', 'dist', '.astro', '.git', 'test-results', 'screenshots', 'mistakes'].includes(entry.name)) continue;
    const path = join(dir, entry.name);
    const rel = relative(ROOT, path).split('\\').join('/');
    if (entry.isDirectory()) {
      if (dir !== ROOT || ['engine', 'site', 'content', 'exercises', 'cli', 'grader'].includes(entry.name)) notationWriters(path, out);
    } else if (/\.(ts|tsx|astro)$/.test(entry.name) && !/\.spec(-helpers)?\.ts$|\.d\.ts$/.test(entry.name)) {
      if (rel !== 'engine/common/notation.ts' && !/^exercises\/[^/]+\/(starter|solution)\.ts$/.test(rel)) out.push(rel);
    }
  }
  return out.sort();
}

describe('one notation module (issue 8)', () => {
  it('finds hand-rolled notation when there is some', () => {
    const bad = [
      "const plural = (n: number) => `${n} test${n === 1 ? '' : 's'}`;",
      'export function tpKey(tp: TopicPartition) {',
      "label = `${p.topic}p${p.partition}`; key = `${tp.topic}-${tp.partition}`; `get${extra === 1 ? 's' : ''}`",
      "import { plural, tpKey } from '../../engine/index.ts'; const s = plural(n, 'test') + tpKey(tp);",
    ].join('\n');
    expect(handRolled('x.ts', bad)).toEqual([
      'x.ts:1: defines a notation helper again',
      'x.ts:1: picks a word by count inline (use plural / pluralWord)',
      'x.ts:2: defines a notation helper again',
      'x.ts:3: picks a word by count inline (use plural / pluralWord)',
      'x.ts:3: writes a partition by hand (use tpKey / formatTp / partitionLabel)',
    ]);
  });

  it('has no hand-rolled plural, tpKey or t0p1 outside engine/common/notation.ts', () => {
    const files = notationWriters();
    expect(files).toContain('site/islands/scenario/SharePanel.tsx');
    expect(files).toContain('exercises/commit-logic/exercise.ts');
    expect(files.flatMap((f) => handRolled(f, readFileSync(join(ROOT, f), 'utf8')))).toEqual([]);
  });
});
