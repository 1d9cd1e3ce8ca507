/**
 * On narrow screens (below 760 px) the checkpoint page shows one part at a time, as tabs: Instructions,
 * Editor, Results. Wider screens keep the side-by-side (or stacked) layout, and the tab list is hidden.
 *
 * WAI-ARIA tabs pattern with automatic activation: `role=tablist` / `tab` / `tabpanel` (the panel roles only
 * while the screen is narrow), Left/Right arrows move between tabs (wrapping), Home/End to the first/last,
 * the selected tab alone is in the Tab order. The page renders the tab list and the initial state
 * (`data-active-tab` on the layout) in its HTML, so nothing moves when this script starts.
 *
 * The workbench island selects a tab through `selectCheckpointTab` (the Results tab after a run, the Editor
 * tab to show a line); it only dispatches an event, so it works whether or not the tab list is on the page.
 */
export type CheckpointTab = 'instructions' | 'editor' | 'results';

/** The media query under which the tabs are shown; checkpoint.css uses the same width. */
export const NARROW_QUERY = '(max-width: 759.98px)';
const TAB_EVENT = 'partition-lab:checkpoint-tab';
const PANEL_ID: Record<CheckpointTab, string> = {
  instructions: 'checkpoint-panel-instructions',
  editor: 'checkpoint-panel-editor',
  results: 'checkpoint-panel-results',
};

/** True when the page shows tabs (narrow screen). */
export function narrowScreen(): boolean {
  return typeof matchMedia === 'function' && matchMedia(NARROW_QUERY).matches;
}

/** Ask the page to show `tab` (a no-op on pages without checkpoint tabs). */
export function selectCheckpointTab(tab: CheckpointTab): void {
  window.dispatchEvent(new CustomEvent<CheckpointTab>(TAB_EVENT, { detail: tab }));
}

/** Wire the tab list `[data-checkpoint-tabs]` to the layout `[data-active-tab]`; once per page. */
export function initCheckpointTabs(): void {
  const list = document.querySelector<HTMLElement>('[data-checkpoint-tabs]');
  const layout = document.querySelector<HTMLElement>('[data-active-tab]');
  if (!list || !layout || list.dataset.ready) return;
  list.dataset.ready = 'true';
  const tabs = [...list.querySelectorAll<HTMLButtonElement>('[role="tab"]')];
  const nameOf = (tab: HTMLElement) => tab.dataset.tab as CheckpointTab;

  const select = (name: CheckpointTab, focus: boolean) => {
    layout.dataset.activeTab = name;
    for (const tab of tabs) {
      const selected = nameOf(tab) === name;
      tab.setAttribute('aria-selected', selected ? 'true' : 'false');
      tab.tabIndex = selected ? 0 : -1;
      if (selected && focus) tab.focus();
    }
  };

  // Panel roles only while the tabs are shown: on wide screens the parts are plain regions of the page.
  const query = matchMedia(NARROW_QUERY);
  const applyRoles = () => {
    for (const tab of tabs) {
      const panel = document.getElementById(PANEL_ID[nameOf(tab)]);
      if (!panel) continue;
      if (query.matches) {
        panel.setAttribute('role', 'tabpanel');
        panel.setAttribute('aria-labelledby', tab.id);
      } else if (panel.getAttribute('role') === 'tabpanel') {
        panel.removeAttribute('role');
        panel.removeAttribute('aria-labelledby');
      }
    }
  };
  applyRoles();
  query.addEventListener('change', applyRoles);
  // Until every panel is in the DOM (the island's may come with its hydration), apply the roles as they appear.
  const allPanels = () => tabs.every((tab) => document.getElementById(PANEL_ID[nameOf(tab)]));
  if (!allPanels()) {
    const observer = new MutationObserver(() => {
      if (!allPanels()) return;
      observer.disconnect();
      applyRoles();
    });
    observer.observe(layout, { childList: true, subtree: true });
  }

  list.addEventListener('click', (e) => {
    const tab = (e.target as HTMLElement).closest<HTMLButtonElement>('[role="tab"]');
    if (tab) select(nameOf(tab), false);
  });
  list.addEventListener('keydown', (e) => {
    const current = tabs.findIndex((t) => t === document.activeElement);
    if (current < 0) return;
    const next =
      e.key === 'ArrowRight'
        ? (current + 1) % tabs.length
        : e.key === 'ArrowLeft'
          ? (current - 1 + tabs.length) % tabs.length
          : e.key === 'Home'
            ? 0
            : e.key === 'End'
              ? tabs.length - 1
              : -1;
    if (next < 0) return;
    e.preventDefault();
    select(nameOf(tabs[next]), true);
  });
  window.addEventListener(TAB_EVENT, (e) => select((e as CustomEvent<CheckpointTab>).detail, false));
}
