/**
 * For plain `tsc` (npm run typecheck): .astro files are compiled by Astro, not TypeScript, so a .ts file
 * that imports one (site/components/index.ts) needs this declaration. Astro's editor tooling resolves the
 * real components and their Props instead.
 */
declare module '*.astro' {
  import type { AstroComponentFactory } from 'astro/runtime/server/index.js';
  const component: AstroComponentFactory;
  export default component;
}
