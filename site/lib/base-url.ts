/**
 * The site's base path with exactly one trailing slash (`/` or `/partition-lab/`), for links:
 * `${BASE}lessons/<id>/`. Astro's BASE_URL follows the `base` config, which may omit the slash.
 * Safe on both sides: pages at build time and bundled browser scripts.
 */
export const BASE = import.meta.env.BASE_URL.replace(/\/?$/, '/');
