/**
 * Starts loading the checkpoint editor (Monaco's first chunk and its stylesheet) once per page, as early as
 * possible: the checkpoint page calls `loadEditor()` from its own module script, before the workbench island
 * has hydrated, and the island awaits the same promise. Also `prefetchEditor()` for lesson pages' checkpoint links.
 *
 * Timeline on a checkpoint page: HTML (the starter already highlighted, see [id].astro) → this module →
 * monaco-setup.ts and its CSS in parallel → the island creates the editor (typing lands) → at idle,
 * monaco-typescript.ts (TypeScript service and worker) and the grader worker.
 */
type EditorModule = typeof import('./monaco-setup.ts');

let loading: Promise<EditorModule> | null = null;

/**
 * Monaco's first chunk and its stylesheet, loading once per page; a failed load may be retried. The stylesheet is
 * the CSS of exactly the Monaco modules the chunk holds (with the codicon font as a file); Vite's preload helper
 * adds it and resolves the import only once it has loaded (the editor measures fonts at creation).
 */
export function loadEditor(): Promise<EditorModule> {
  if (!loading) {
    const attempt = import('./monaco-setup.ts');
    loading = attempt;
    attempt.catch(() => {
      if (loading === attempt) loading = null;
    });
  }
  return loading;
}

/**
 * For pages that link to a checkpoint: as soon as the learner points at, focuses or touches such a link, import
 * the editor's first chunk (and its stylesheet, whose rules apply only inside an editor) so that the checkpoint
 * opens with them in the cache. No editor is created here. Skipped when the learner asked to save data; errors
 * are ignored (the checkpoint page loads the chunk again).
 *
 * Note: not at the first idle moment after load, which was tried: evaluating Monaco's chunk is one long task
 * (seconds on a busy machine), and it delayed the hydration of the lesson's own islands (a scenario player
 * scrolled into view stopped answering its buttons for that long). Intent costs nothing until it is shown.
 */
export function prefetchEditor(links: Iterable<HTMLElement>): void {
  const connection = (navigator as Navigator & { connection?: { saveData?: boolean } }).connection;
  if (connection?.saveData) return;
  let started = false;
  const start = () => {
    if (started) return;
    started = true;
    import('./monaco-setup.ts').catch(() => undefined);
  };
  for (const link of links) {
    for (const type of ['pointerenter', 'focus', 'touchstart'] as const) link.addEventListener(type, start, { once: true, passive: true });
  }
}
