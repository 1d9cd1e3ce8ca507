/**
 * Reads a lesson's MDX for its spec: the front matter (YAML), the body, and its MDX syntax tree with small
 * helpers to find author components and read their props. Used by each `content/lessons/<id>.spec.ts`.
 */
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { createProcessor } from '@mdx-js/mdx';
import { parse as parseYaml } from 'yaml';
import { AuthoringError, friendlyParse } from '../schema/friendly-errors.ts';
import { lessonReferenceIssues, lessonSchema, type LessonFrontmatter } from '../schema/lesson.ts';

/** A node of the MDX syntax tree (mdast + MDX JSX), only the fields the specs read. */
export interface MdxNode {
  type: string;
  name?: string | null;
  value?: string;
  url?: string;
  attributes?: { type: string; name: string; value: unknown }[];
  children?: MdxNode[];
}

export interface LessonSource {
  file: string;
  source: string;
  frontmatter: Record<string, unknown>;
  body: string;
  tree: MdxNode;
  /** every node under `node` (itself included), depth first */
  walk(node: MdxNode, visit: (n: MdxNode) => void): void;
  /** every use of the author component `name` (`<Figure …>`) */
  jsx(name: string): MdxNode[];
  /** a string attribute's value, or an expression attribute's source text; `true` for a bare attribute */
  attr(node: MdxNode, name: string): string | true | undefined;
  /** an attribute's value: a string as is, an expression (a literal in our MDX) evaluated */
  value(node: MdxNode, name: string): unknown;
  /** the plain text of a node (list items on their own lines) */
  text(node: MdxNode): string;
}

/**
 * @param url the lesson file, e.g. `new URL('./01-keys-and-partitions.mdx', import.meta.url)`
 * @throws Error naming the file when it has no YAML front matter between `---` lines
 */
export function readLesson(url: URL): LessonSource {
  const file = fileURLToPath(url);
  const source = readFileSync(file, 'utf8');
  const match = /^---\n([\s\S]*?)\n---\n/.exec(source);
  if (!match) throw new Error(`${file}: expected YAML front matter between --- lines`);
  const body = source.slice(match[0].length);
  const tree = createProcessor().parse(body) as unknown as MdxNode;

  const walk = (node: MdxNode, visit: (n: MdxNode) => void): void => {
    visit(node);
    for (const child of node.children ?? []) walk(child, visit);
  };
  const attribute = (node: MdxNode, name: string) => node.attributes?.find((x) => x.type === 'mdxJsxAttribute' && x.name === name);
  const text = (node: MdxNode): string => {
    if (node.type === 'text' || node.type === 'inlineCode') return node.value ?? '';
    return (node.children ?? []).map(text).join(node.type === 'list' ? '\n' : '');
  };
  return {
    file,
    source,
    frontmatter: parseYaml(match[1]) as Record<string, unknown>,
    body,
    tree,
    walk,
    jsx(name) {
      const found: MdxNode[] = [];
      walk(tree, (n) => {
        if ((n.type === 'mdxJsxFlowElement' || n.type === 'mdxJsxTextElement') && n.name === name) found.push(n);
      });
      return found;
    },
    attr(node, name) {
      const a = attribute(node, name);
      if (!a) return undefined;
      if (a.value === null || a.value === undefined) return true;
      if (typeof a.value === 'string') return a.value;
      return (a.value as { value: string }).value;
    },
    value(node, name) {
      const a = attribute(node, name);
      if (!a || a.value === null || a.value === undefined) return undefined;
      if (typeof a.value === 'string') return a.value;
      return new Function(`return (${(a.value as { value: string }).value});`)();
    },
    text,
  };
}

/**
 * What is wrong with a lesson's figures, one line per problem (empty when none): every `<Figure>` has an alt
 * text over 40 characters and a caption, holds exactly one inline `<svg>` hidden from assistive technology with a
 * `0 0 w h` viewBox, and every paint in the lesson's SVG is `currentColor`, `none` or a theme variable (with an
 * optional hex fallback) — never a bare colour, so figures follow the light and dark themes.
 */
export function figureProblems(lesson: LessonSource): string[] {
  const problems: string[] = [];
  for (const f of lesson.jsx('Figure')) {
    const id = String(lesson.attr(f, 'id'));
    const alt = lesson.attr(f, 'alt');
    if (!(typeof alt === 'string' && alt.trim().length > 40)) problems.push(`figure ${id}: alt too short`);
    if (typeof lesson.attr(f, 'caption') !== 'string') problems.push(`figure ${id}: no caption`);
    const svgs: MdxNode[] = [];
    lesson.walk(f, (n) => {
      if (n.name === 'svg') svgs.push(n);
    });
    if (svgs.length !== 1) {
      problems.push(`figure ${id} has ${svgs.length} inline <svg> elements; expected 1`);
      continue;
    }
    if (lesson.attr(svgs[0], 'aria-hidden') !== 'true') problems.push(`figure ${id}: <svg> without aria-hidden="true"`);
    const viewBox = lesson.attr(svgs[0], 'viewBox');
    if (typeof viewBox !== 'string' || !/^0 0 \d+ \d+$/.test(viewBox)) problems.push(`figure ${id}: viewBox ${String(viewBox)}`);
  }
  const svgSource = [...lesson.body.matchAll(/<svg[\s\S]*?<\/svg>/g)].map((m) => m[0]).join('\n');
  const paints = [...svgSource.matchAll(/\b(fill|stroke)\s*[:=]\s*"?([^;"]+)/g)].map((m) => m[2].trim());
  if (paints.length === 0) problems.push('no fill or stroke in any figure: the colour check would be vacuous');
  for (const p of paints) {
    if (!/^(currentColor|none|var\(--[a-z0-9-]+(, #[0-9a-f]{3,6})?\))$/i.test(p))
      problems.push(`paint ${p}: not currentColor, none or a theme variable`);
  }
  return problems;
}

/**
 * The lesson's front matter, validated the way the build validates it (site/content.config.ts:
 * the lesson schema with the friendly error map, then its references — the quiz file must exist).
 * The checkpoint id is left to the spec (the exercises registry is not content's to import).
 * @throws AuthoringError whose message names the file and, per field, what was received and what was
 *   expected (`content/lessons/04-replication.mdx has 1 problem:\n  - order: received "four" …`), never
 *   zod's raw issue dump
 */
export function lessonFrontmatter(lesson: Pick<LessonSource, 'file' | 'frontmatter'>): LessonFrontmatter {
  const parsed = friendlyParse(lessonSchema, lesson.frontmatter);
  const quizExists = (id: string) => existsSync(fileURLToPath(new URL(`../quizzes/${id}.yaml`, import.meta.url)));
  const issues = parsed.success ? lessonReferenceIssues(parsed.data, quizExists, undefined) : parsed.issues;
  if (!parsed.success || issues.length > 0) throw new AuthoringError(relativeFile(lesson.file), issues);
  return parsed.data;
}

/** `/…/content/lessons/04-replication.mdx` → `content/lessons/04-replication.mdx` (as the build names files) */
function relativeFile(file: string): string {
  const i = file.lastIndexOf('/content/lessons/');
  return i < 0 ? file : file.slice(i + 1);
}
