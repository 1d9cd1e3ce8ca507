/**
 * TypeScript → CommonJS JavaScript with sucrase (`transforms: ['typescript', 'imports']`), the same in the
 * browser Worker and in Node.
 *
 * Rule: bound the source first (size, then bracket nesting), then transpile; never let the transpiler see
 * input that could overflow the host's stack.
 *
 * Example: `export function partition(k: Uint8Array, n: number) { … }` becomes
 *   `"use strict";Object.defineProperty(exports, "__esModule", {value: true});`
 *   `function partition(k, n) { … } exports.partition = partition;`
 * on the same lines as the source: sucrase keeps line numbers, so a line reported by QuickJS is the learner's
 * line. Columns are not preserved (type annotations are cut out), so only syntax errors found here carry one.
 *
 * Note: the nesting scan skips comments, strings and template text, but not regular-expression literals; a
 * bracket inside a regex counts. Long chains of prefix operators (`!!!…x`) are not brackets: a host
 * RangeError from the transpiler is caught and reported as `syntax` too.
 */
import { transform } from 'sucrase';
import type { Limits } from './limits.ts';

export type TranspileResult =
  | { ok: true; code: string }
  | { ok: false; kind: 'syntax'; message: string; line?: number; column?: number };

/**
 * Deepest bracket nesting in `source`, counting `(`, `[`, `{` and template `${`, outside comments and strings.
 * Stops early and returns a value above `stopAt` once the nesting passes it.
 * @returns `{ depth, line, column }` of the deepest point (1-based line and column)
 */
export function measureNesting(source: string, stopAt = Infinity): { depth: number; line: number; column: number } {
  let depth = 0;
  let max = 0;
  let maxLine = 1;
  let maxColumn = 1;
  let line = 1;
  let lineStart = 0;
  // Template literals nest: each entry is the bracket depth at which a `${` opened inside a template.
  const templateStack: number[] = [];
  let inTemplate = false;
  let i = 0;
  const n = source.length;
  while (i < n) {
    const ch = source.charCodeAt(i);
    if (ch === 10 /* \n */) {
      line++;
      lineStart = i + 1;
      i++;
      continue;
    }
    if (inTemplate) {
      if (ch === 92 /* \ */) { i += 2; continue; }
      if (ch === 96 /* ` */) { inTemplate = false; i++; continue; }
      if (ch === 36 /* $ */ && source.charCodeAt(i + 1) === 123 /* { */) {
        templateStack.push(depth);
        inTemplate = false;
        depth++;
        if (depth > max) { max = depth; maxLine = line; maxColumn = i - lineStart + 1; }
        if (max > stopAt) break;
        i += 2;
        continue;
      }
      i++;
      continue;
    }
    if (ch === 47 /* / */ && source.charCodeAt(i + 1) === 47) {
      while (i < n && source.charCodeAt(i) !== 10) i++;
      continue;
    }
    if (ch === 47 && source.charCodeAt(i + 1) === 42 /* * */) {
      i += 2;
      while (i < n && !(source.charCodeAt(i) === 42 && source.charCodeAt(i + 1) === 47)) {
        if (source.charCodeAt(i) === 10) { line++; lineStart = i + 1; }
        i++;
      }
      i += 2;
      continue;
    }
    if (ch === 34 /* " */ || ch === 39 /* ' */) {
      i++;
      while (i < n) {
        const c = source.charCodeAt(i);
        if (c === 92) { i += 2; continue; }
        if (c === ch || c === 10) break;
        i++;
      }
      i++;
      continue;
    }
    if (ch === 96) { inTemplate = true; i++; continue; }
    if (ch === 40 /* ( */ || ch === 91 /* [ */ || ch === 123 /* { */) {
      depth++;
      if (depth > max) { max = depth; maxLine = line; maxColumn = i - lineStart + 1; }
      if (max > stopAt) break;
    } else if (ch === 41 || ch === 93 || ch === 125) {
      if (ch === 125 && templateStack.length > 0 && templateStack[templateStack.length - 1] === depth - 1) {
        templateStack.pop();
        inTemplate = true;
      }
      if (depth > 0) depth--;
    }
    i++;
  }
  return { depth: max, line: maxLine, column: maxColumn };
}

/**
 * Transpile the learner's TypeScript to CommonJS for the sandbox.
 * @param source the learner's file, as typed
 * @param limits uses `sourceChars` and `sourceNesting`
 * @returns the JavaScript, or a `syntax` error with the learner's 1-based line and column when known.
 *   Never throws.
 */
export function transpile(source: string, limits: Pick<Limits, 'sourceChars' | 'sourceNesting'>): TranspileResult {
  if (typeof source !== 'string') {
    return { ok: false, kind: 'syntax', message: `Expected the submission to be text, got ${typeof source}` };
  }
  if (source.length > limits.sourceChars) {
    return {
      ok: false,
      kind: 'syntax',
      message: `The file is ${source.length} characters long; the limit is ${limits.sourceChars}.`,
    };
  }
  const nesting = measureNesting(source, limits.sourceNesting);
  if (nesting.depth > limits.sourceNesting) {
    return {
      ok: false,
      kind: 'syntax',
      message: `Brackets are nested more than ${limits.sourceNesting} levels deep; simplify the code.`,
      line: nesting.line,
      column: nesting.column,
    };
  }
  try {
    const { code } = transform(source, { transforms: ['typescript', 'imports'], filePath: 'submission.ts' });
    return { ok: true, code };
  } catch (error) {
    return syntaxErrorFrom(error);
  }
}

function syntaxErrorFrom(error: unknown): TranspileResult {
  if (error instanceof RangeError) {
    return { ok: false, kind: 'syntax', message: 'The code is nested too deeply to read; simplify the code.' };
  }
  const raw = error instanceof Error ? error.message : String(error);
  // sucrase: "Unexpected token (3:14)"; `loc` holds the same line and column.
  const match = /\s*\((\d+):(\d+)\)\s*$/.exec(raw);
  const loc = (error as { loc?: { line?: unknown; column?: unknown } } | null)?.loc;
  const line = typeof loc?.line === 'number' ? loc.line : match ? Number(match[1]) : undefined;
  const column = typeof loc?.column === 'number' ? loc.column : match ? Number(match[2]) : undefined;
  const message = (match ? raw.slice(0, match.index) : raw).replace(/^Error transforming [^:]*: /, '').slice(0, 500) || 'Syntax error';
  const result: TranspileResult = { ok: false, kind: 'syntax', message };
  if (line !== undefined) result.line = line;
  if (column !== undefined) result.column = column;
  return result;
}
