/**
 * Authoring errors for people: every problem names the field, what was received and what was
 * expected, e.g. `order: received "first" (a string); expected an integer`.
 * The model is Starlight's `parseWithFriendlyErrors` (withastro/starlight, utils/error-map.ts).
 *
 * - `friendlyErrorMap`: a zod error map producing such messages.
 * - `friendlyIssues(schema, data)`: parse and return `{ path, message }` issues (empty when valid).
 * - `formatIssues(file, issues)`: one block naming the file, one line per field.
 * - `withFriendlyErrors(schema)`: wrap a schema for Astro's content collections so Astro's build error
 *   carries our messages (Astro prints `**collection → id** … **field**: message` and the file location).
 */
import { z } from 'zod';
import { plural } from '../../engine/index.ts';

/** A short, bounded rendering of a received value: `"first"`, `42`, `[1, 2]`, `{ … }`. */
export function preview(value: unknown, max = 60): string {
  let text: string;
  if (value === undefined) return 'nothing';
  if (typeof value === 'string') text = JSON.stringify(value);
  else if (typeof value === 'number' || typeof value === 'boolean' || value === null) text = String(value);
  else if (value instanceof Date) text = value.toISOString();
  else {
    try {
      text = JSON.stringify(value) ?? String(value);
    } catch {
      text = String(value);
    }
  }
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

/** `a string`, `an array`, `an integer` … for zod's parsed types. */
function article(type: string): string {
  const names: Record<string, string> = {
    string: 'a string',
    number: 'a number',
    integer: 'an integer',
    bigint: 'a big integer',
    boolean: 'true or false',
    object: 'an object (a mapping of fields)',
    array: 'a list',
    null: 'null',
    undefined: 'nothing',
    date: 'a date',
    nan: 'NaN',
    float: 'a decimal number',
  };
  return names[type] ?? type;
}

function receivedPart(data: unknown): string {
  if (data === undefined) return 'nothing (the field is missing)';
  const type = Array.isArray(data) ? 'list' : data === null ? 'null' : typeof data === 'object' ? 'object' : typeof data;
  return `${preview(data)} (${article(type === 'list' ? 'array' : type)})`;
}

/** zod 4's `expected` names (`int`, `record`, …) in words. */
function expectedName(expected: string): string {
  const names: Record<string, string> = { int: 'integer', record: 'object', map: 'object', tuple: 'array' };
  return article(names[expected] ?? expected);
}

/**
 * A zod 4 error map whose messages read `received X; expected Y`. zod 4 hands the map the raw issue, with the
 * value that failed as `issue.input` (zod 3 passed it as `ctx.data`). Messages set explicitly by a schema
 * (`refine`, `addIssue`) are kept as they are.
 */
export const friendlyErrorMap: z.core.$ZodErrorMap = (issue) => {
  const got = receivedPart(issue.input);
  switch (issue.code) {
    case 'invalid_type':
      return `received ${issue.input === undefined ? 'nothing (the field is missing)' : got}; expected ${expectedName(issue.expected)}`;
    case 'invalid_value':
      return issue.values.length === 1
        ? `received ${got}; expected ${preview(issue.values[0])}`
        : `received ${got}; expected one of ${issue.values.map((o) => preview(o)).join(', ')}`;
    case 'unrecognized_keys': {
      const base = `received unknown field${issue.keys.length > 1 ? 's' : ''} ${issue.keys.map((k) => `"${k}"`).join(', ')}; expected only the documented fields (check the spelling)`;
      const known = knownFields(issue.inst);
      const hints = issue.keys.map((k) => fieldSuggestion(k, known)).filter((h): h is string => h !== null);
      return hints.length ? `${base} — ${hints.join('; ')}` : base;
    }
    case 'too_small': {
      const min = Number(issue.minimum);
      const what =
        issue.origin === 'string'
          ? min === 1
            ? 'a non-empty string'
            : `a string of at least ${min} characters`
          : issue.origin === 'array' || issue.origin === 'set'
            ? `a list of at least ${plural(min, 'item')}`
            : `a number ${issue.inclusive ? '≥' : '>'} ${min}`;
      return `received ${got}; expected ${what}`;
    }
    case 'too_big': {
      const max = Number(issue.maximum);
      const what =
        issue.origin === 'string'
          ? `a string of at most ${max} characters`
          : issue.origin === 'array' || issue.origin === 'set'
            ? `a list of at most ${max} items`
            : `a number ${issue.inclusive ? '≤' : '<'} ${max}`;
      return `received ${got}; expected ${what}`;
    }
    case 'invalid_format':
      return `received ${got}; expected ${issue.format === 'regex' && issue.pattern ? `a string matching ${issue.pattern}` : `a valid ${issue.format}`}`;
    case 'not_multiple_of':
      return `received ${got}; expected a multiple of ${String(issue.divisor)}`;
    case 'invalid_union': {
      // A discriminated union with no matching discriminator: zod 4 gives the options and the whole object as input.
      const options = 'options' in issue ? (issue.options as readonly unknown[] | undefined) : undefined;
      if (issue.discriminator !== undefined && issue.errors.length === 0 && options) {
        const input = issue.input;
        const value = typeof input === 'object' && input !== null ? (input as Record<string, unknown>)[issue.discriminator] : input;
        return `received ${receivedPart(value)}; expected one of ${options.map((o) => preview(o)).join(', ')}`;
      }
      // Prefer the branch that got furthest (its issues are deepest); else list the union's expectations.
      const branches = issue.errors;
      const depth = (b: readonly z.core.$ZodIssue[]) => Math.max(0, ...b.map((i) => i.path.length));
      const best = branches.reduce((a, b) => (depth(b) > depth(a) ? b : a), branches[0] ?? []);
      if (best.length > 0 && best[0].path.length > 0) return best[0].message;
      const expected = [...new Set(branches.flat().map((i) => (i.code === 'invalid_type' ? expectedName(i.expected) : i.message)))];
      return `received ${got}; expected ${expected.join(' or ')}`;
    }
    default:
      return undefined; // zod's own message (custom issues keep the message they were given)
  }
};

/** The fields an object schema declares (zod 4 hands the error map the schema as `issue.inst`). */
function knownFields(inst: unknown): string[] {
  const shape = (inst as { _zod?: { def?: { shape?: Record<string, unknown> } } } | undefined)?._zod?.def?.shape;
  return shape ? Object.keys(shape) : [];
}

/** Edit distance (insert, delete, substitute; case-insensitive), for near misses. */
function editDistance(a: string, b: string): number {
  a = a.toLowerCase();
  b = b.toLowerCase();
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    for (let j = 1; j <= b.length; j++) cur[j] = Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    prev = cur;
  }
  return prev[b.length];
}

/** Kafka's dotted config name in our camelCase: `session.timeout.ms` → `sessionTimeoutMs`, `min.insync.replicas` → `minInsyncReplicas`. */
export function camelCaseConfigName(name: string): string {
  return name
    .split(/[._-]+/)
    .filter(Boolean)
    .map((part, i) => (i === 0 ? part.toLowerCase() : part[0].toUpperCase() + part.slice(1).toLowerCase()))
    .join('');
}

/**
 * A hint for an unknown field, or null: Kafka's dotted config names (`session.timeout.ms`) point to the camelCase
 * field (`sessionTimeoutMs`); a misspelling within a few letters of a known field (`producr`) points to it; a bare
 * word that known fields end with (`protocol` → `groupProtocol`, `rebalanceProtocol`) points to them.
 * @param key the unknown field
 * @param known the fields the object accepts
 */
export function fieldSuggestion(key: string, known: readonly string[]): string | null {
  if (/[._-]/.test(key)) {
    const camel = camelCaseConfigName(key);
    const hit = known.find((k) => k.toLowerCase() === camel.toLowerCase());
    if (hit) return `write "${hit}" for Kafka's ${key} (config names are camelCase here, with the unit kept)`;
  }
  const suffix = key.length > 3 && /^[a-z]+$/.test(key) ? key[0].toUpperCase() + key.slice(1) : null;
  const qualified = suffix ? known.filter((k) => k.endsWith(suffix)) : [];
  if (qualified.length > 0) return `did you mean ${qualified.map((k) => `"${k}"`).join(' or ')}?`;
  let best: string | null = null;
  let bestDistance = Infinity;
  for (const k of known) {
    const d = editDistance(key, k);
    if (d < bestDistance) [best, bestDistance] = [k, d];
  }
  return best !== null && bestDistance <= Math.max(1, Math.min(3, Math.floor(best.length / 3))) ? `did you mean "${best}"?` : null;
}

/**
 * A string matching `re`; otherwise the issue reads `received "Order 456" (a string); expected <expected>`.
 * @param expected what a valid value looks like, e.g. `a kebab-case id like "order-456"`
 */
export function stringMatching(re: RegExp, expected: string) {
  return z.string().superRefine((s, ctx) => {
    if (!re.test(s)) ctx.addIssue({ code: 'custom', message: `received ${receivedPart(s)}; expected ${expected}` });
  });
}

/** One problem at one field. `path` is the dotted field path (`questions.2.answer.engine`), or '' for the root. */
export interface FieldIssue {
  path: string;
  message: string;
}

/** Turn zod issues into `FieldIssue`s (dotted paths). */
export function toFieldIssues(issues: readonly z.core.$ZodIssue[]): FieldIssue[] {
  return issues.map((i) => ({ path: i.path.map(String).join('.'), message: i.message }));
}

/**
 * Parse `data` with `schema` and the friendly error map.
 * @returns `{ success: true, data }` or `{ success: false, issues }` with dotted field paths
 */
export function friendlyParse<T extends z.ZodType>(
  schema: T,
  data: unknown,
): { success: true; data: z.output<T> } | { success: false; issues: FieldIssue[] } {
  const result = schema.safeParse(data, { error: friendlyErrorMap });
  return result.success ? { success: true, data: result.data } : { success: false, issues: toFieldIssues(result.error.issues) };
}

/**
 * The message for an author: the file, then one line per field.
 * ```
 * content/quizzes/01-keys-and-partitions.yaml has 1 problem:
 *   - questions.2.answer.engine: received "partitionFor" (a string); expected one of "murmur2", …
 * ```
 */
export function formatIssues(file: string, issues: readonly FieldIssue[]): string {
  const lines = issues.map((i) => `  - ${i.path === '' ? '(top level)' : i.path}: ${i.message}`);
  return `${file} has ${plural(issues.length, 'problem')}:\n${lines.join('\n')}`;
}

/** An authoring error: `message` is `formatIssues(file, issues)`. */
export class AuthoringError extends Error {
  constructor(
    readonly file: string,
    readonly issues: readonly FieldIssue[],
  ) {
    super(formatIssues(file, issues));
    this.name = 'AuthoringError';
  }
}

/**
 * Wrap a schema for an Astro content collection: validation runs with `friendlyErrorMap`, and each
 * issue is re-raised with an explicit message, which Astro prints as-is next to the field path
 * and the entry's file. `extra(data)` may add cross-checks (e.g. references to other collections)
 * and return more issues; it runs only when the schema itself passed.
 */
export function withFriendlyErrors<T extends z.ZodType>(schema: T, extra?: (data: z.output<T>) => FieldIssue[]): z.ZodType<z.output<T>> {
  return z.any().transform((data, ctx) => {
    const result = friendlyParse(schema, data);
    const issues = result.success ? (extra?.(result.data) ?? []) : result.issues;
    for (const issue of issues) {
      ctx.addIssue({ code: 'custom', path: issue.path === '' ? [] : issue.path.split('.'), message: issue.message });
    }
    return issues.length > 0 || !result.success ? z.NEVER : result.data;
  }) as unknown as z.ZodType<z.output<T>>;
}
