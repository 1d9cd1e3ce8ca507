/**
 * Reads a lesson's MDX for its spec: the front matter (YAML), the body, and its MDX syntax tree with small
 * helpers to find author components and read their props. Used by each `content/lessons/<id>.spec.ts`.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { createProcessor } from '@mdx-js/mdx';
import { parse as parseYaml } from 'yaml';

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
