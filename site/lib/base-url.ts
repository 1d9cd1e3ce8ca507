/**
 * The site's base path with exactly one trailing slash (`/` or `/partition-lab/`), for links:
 * `${BASE}lessons/<id>/`. Astro's BASE_URL follows the `base` config, which may omit the slash.
 * Safe on both sides: pages at build time and bundled browser scripts.
 */
export const BASE = import.meta.env.BASE_URL.replace(/\/?$/, '/');

/**
 * A root-relative URL as the site serves it: `withBase('/scenarios/x/')` is `/partition-lab/scenarios/x/`
 * in a build with base `/partition-lab/`, and unchanged with base `/`. Anything else — `https://…`,
 * `//host/…`, `#anchor`, `relative/path`, a URL that already starts with the base — comes back as it was.
 * @param href a link or asset URL as an author wrote it
 * @param base the base path; defaults to this build's
 */
export function withBase(href: string, base: string = BASE): string {
  const b = base.replace(/\/?$/, '/');
  if (!href.startsWith('/') || href.startsWith('//') || href.startsWith(b)) return href;
  return b + href.slice(1);
}
