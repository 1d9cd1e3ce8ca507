/**
 * A rehype plugin that puts the site's base path in front of root-relative links written in lessons:
 * an author writes `[the scenario](/scenarios/eager-vs-cooperative/)` and, in a build with
 * `base: '/partition-lab/'`, the page links to `/partition-lab/scenarios/eager-vs-cooperative/`.
 *
 * Only `href` and `src` values that start with a single `/` change; `//cdn…`, `https://…`, `#anchors`,
 * relative links and links that already start with the base are left alone. With base `/` it does nothing.
 *
 * @param options.base the site's base path, e.g. `/partition-lab/` or `/`
 */
interface HastNode {
  type: string;
  properties?: Record<string, unknown>;
  children?: HastNode[];
}

export function rehypeBaseLinks(options: { base: string }) {
  const base = options.base.replace(/\/?$/, '/');
  const prefix = (url: string) =>
    url.startsWith('/') && !url.startsWith('//') && !url.startsWith(base) ? base + url.slice(1) : url;
  const visit = (node: HastNode) => {
    if (node.type === 'element' && node.properties) {
      for (const attr of ['href', 'src']) {
        const value = node.properties[attr];
        if (typeof value === 'string') node.properties[attr] = prefix(value);
      }
    }
    node.children?.forEach(visit);
  };
  return () => (tree: HastNode) => {
    if (base !== '/') visit(tree);
  };
}
