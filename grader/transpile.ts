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

export type TranspileResult = { ok: true; code: string } | { ok: false; kind: 'syntax'; message: string; line?: number; column?: number };

/**
 * `source` with comments, string literals and template-literal text blanked to spaces (newlines kept), so
 * every remaining character is code at its original line and column. Template substitutions (`${ … }`) stay
 * code, nested templates included.
 * Note: regular-expression literals are not recognised; their text stays as if it were code.
 */
export function maskNonCode(source: string): string {
  const out = source.split('');
  const blank = (from: number, to: number) => {
    for (let k = from; k < to && k < out.length; k++) if (out[k] !== '\n') out[k] = ' ';
  };
  // Template literals nest: each entry is the bracket depth at which a `${` opened inside a template.
  const templateStack: number[] = [];
  let depth = 0;
  let inTemplate = false;
  let i = 0;
  const n = source.length;
  while (i < n) {
    const ch = source.charCodeAt(i);
    if (inTemplate) {
      if (ch === 92 /* \ */) {
        blank(i, i + 2);
        i += 2;
        continue;
      }
      if (ch === 96 /* ` */) {
        inTemplate = false;
        blank(i, i + 1);
        i++;
        continue;
      }
      if (ch === 36 /* $ */ && source.charCodeAt(i + 1) === 123 /* { */) {
        templateStack.push(depth);
        inTemplate = false;
        depth++;
        i += 2;
        continue;
      }
      blank(i, i + 1);
      i++;
      continue;
    }
    if (ch === 47 /* / */ && source.charCodeAt(i + 1) === 47) {
      const start = i;
      while (i < n && source.charCodeAt(i) !== 10) i++;
      blank(start, i);
      continue;
    }
    if (ch === 47 && source.charCodeAt(i + 1) === 42 /* * */) {
      const start = i;
      i += 2;
      while (i < n && !(source.charCodeAt(i) === 42 && source.charCodeAt(i + 1) === 47)) i++;
      i += 2;
      blank(start, i);
      continue;
    }
    if (ch === 34 /* " */ || ch === 39 /* ' */) {
      const start = i;
      i++;
      while (i < n) {
        const c = source.charCodeAt(i);
        if (c === 92) {
          i += 2;
          continue;
        }
        if (c === ch || c === 10) break;
        i++;
      }
      i++;
      blank(start, i);
      continue;
    }
    if (ch === 96) {
      inTemplate = true;
      blank(i, i + 1);
      i++;
      continue;
    }
    if (ch === 40 /* ( */ || ch === 91 /* [ */ || ch === 123 /* { */) depth++;
    else if (ch === 41 || ch === 93 || ch === 125) {
      if (ch === 125 && templateStack.length > 0 && templateStack[templateStack.length - 1] === depth - 1) {
        templateStack.pop();
        inTemplate = true;
      }
      if (depth > 0) depth--;
    }
    i++;
  }
  return out.join('');
}

/** 1-based line and column of offset `index` in `text`. */
function lineColumn(text: string, index: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  for (let k = 0; k < index; k++)
    if (text.charCodeAt(k) === 10) {
      line++;
      lineStart = k + 1;
    }
  return { line, column: index - lineStart + 1 };
}

/**
 * Deepest bracket nesting in `source`, counting `(`, `[`, `{` and template `${`, outside comments and strings.
 * Stops early and returns a value above `stopAt` once the nesting passes it.
 * @returns `{ depth, line, column }` of the deepest point (1-based line and column)
 */
export function measureNesting(source: string, stopAt = Infinity): { depth: number; line: number; column: number } {
  const code = maskNonCode(source);
  let depth = 0;
  let max = 0;
  let at = 0;
  for (let i = 0; i < code.length; i++) {
    const ch = code.charCodeAt(i);
    if (ch === 40 || ch === 91 || ch === 123) {
      depth++;
      if (depth > max) {
        max = depth;
        at = i;
      }
      if (max > stopAt) break;
    } else if ((ch === 41 || ch === 93 || ch === 125) && depth > 0) depth--;
  }
  return { depth: max, ...(max === 0 ? { line: 1, column: 1 } : lineColumn(code, at)) };
}

/** A statement-level `import …` (not `import type`), a dynamic `import(…)`, or a re-export `export … from`. */
const IMPORT = /(^|[;{}\n])([ \t]*)(import\s*(?!type\s)[\w$*{(]|import\s*\(|export\s*(?!type\s)(?:\*|\{[^}]*\})\s*from\b)/g;
/** A `namespace X {` or `module X {` that is not `declare`d. */
const NAMESPACE = /(^|[;{}\n])([ \t]*)(?:export\s+)?(namespace|module)\s+([A-Za-z_$][\w$.]*)\s*\{/g;
/** A declaration that makes a namespace hold values at run time. */
const VALUE_DECLARATION = /(^|[;{}\n])\s*(?:export\s+)?(?:const|let|var|function|class|enum|namespace|module)\b/;

/**
 * What sucrase would compile wrongly or the sandbox cannot run, found before transpiling:
 * an import of another module (the sandbox has one file and no `require`), and a `namespace` holding values
 * (sucrase drops namespaces, so `Util.x` would be a ReferenceError at run time).
 * @returns a `syntax` failure at the learner's line and column, or null
 */
export function unsupportedSyntax(source: string): Extract<TranspileResult, { ok: false }> | null {
  const code = maskNonCode(source);
  IMPORT.lastIndex = 0;
  const imp = IMPORT.exec(code);
  if (imp) {
    const where = lineColumn(code, imp.index + imp[1].length + imp[2].length);
    return { ok: false, kind: 'syntax', message: 'Imports are not available in the sandbox: write everything in this one file.', ...where };
  }
  NAMESPACE.lastIndex = 0;
  for (let m = NAMESPACE.exec(code); m; m = NAMESPACE.exec(code)) {
    const open = m.index + m[0].length - 1;
    let depth = 0;
    let close = code.length;
    for (let k = open; k < code.length; k++) {
      const c = code[k];
      if (c === '{') depth++;
      else if (c === '}' && --depth === 0) {
        close = k;
        break;
      }
    }
    if (VALUE_DECLARATION.test(code.slice(open + 1, close))) {
      const where = lineColumn(code, m.index + m[1].length + m[2].length);
      return {
        ok: false,
        kind: 'syntax',
        message: `\`${m[3]} ${m[4]}\` holds values, which the sandbox's TypeScript compiler (sucrase) does not support: use an object (\`const ${m[4]} = { … }\`) or plain functions instead.`,
        ...where,
      };
    }
  }
  return null;
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
  const unsupported = unsupportedSyntax(source);
  if (unsupported) return unsupported;
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
