/**
 * The checkpoint editor's first chunk: what it takes for typing to land. Bundled (never a CDN), loaded
 * only on checkpoint pages (editor-loader.ts starts it as soon as the page's script runs), and prefetched
 * by lesson pages when the learner points at their checkpoint link.
 *
 * Instead of all of `monaco-editor` (80 languages, css/html/json services, diff editor, …) this pulls the
 * editor API, TypeScript highlighting (a small Monarch grammar) and the editing features a learner expects:
 * autocomplete, hovers, parameter hints, find, comment toggle, bracket matching, go to next error, folding,
 * multi-cursor, Tab-focus mode (Ctrl+M) for keyboard users. Editor contributions must be registered before
 * the editor is created, so they stay in this chunk.
 *
 * Not here: the TypeScript language service (its providers, ~130 KB gz, and its worker, ~1.5 MB gz). It comes
 * after the editor is usable, from monaco-typescript.ts, so it never competes with the first paint of the
 * editor for the network or the CPU.
 *
 * Monaco 0.57 specifics (ARCHITECTURE.md, "Platform"): `MonacoEnvironment.getWorker` returns the TS worker
 * for typescript/javascript (monaco-typescript.ts registers it) and the editor worker otherwise.
 */
import * as monaco from 'monaco-editor/editor/editor.api';
import 'monaco-editor/languages/definitions/typescript/register';
import 'monaco-editor/features/codicon/register';
import 'monaco-editor/features/suggest/register';
import 'monaco-editor/editor/contrib/suggest/browser/suggestController';
import 'monaco-editor/features/snippet/register';
import 'monaco-editor/features/hover/register';
import 'monaco-editor/features/parameterHints/register';
import 'monaco-editor/features/find/register';
import 'monaco-editor/features/comment/register';
import 'monaco-editor/features/bracketMatching/register';
import 'monaco-editor/features/gotoError/register';
import 'monaco-editor/features/codeAction/register';
import 'monaco-editor/features/folding/register';
import 'monaco-editor/features/multicursor/register';
import 'monaco-editor/features/indentation/register';
import 'monaco-editor/features/linesOperations/register';
import 'monaco-editor/features/wordOperations/register';
import 'monaco-editor/features/wordHighlighter/register';
import 'monaco-editor/features/cursorUndo/register';
import 'monaco-editor/features/clipboard/register';
import 'monaco-editor/features/contextmenu/register';
import 'monaco-editor/features/toggleTabFocusMode/register';
import 'monaco-editor/editor/browser/coreCommands';
import EditorWorker from 'monaco-editor/editor/editor.worker?worker';

export type Monaco = typeof monaco;

/** The folder the learner's file and the exercise's types share, so `import type … from './types'` resolves. */
export const MODEL_DIR = 'file:///exercise/';

/** Creates the TypeScript worker once monaco-typescript.ts has loaded; until then there is none. */
let createTsWorker: (() => Worker) | null = null;

/** Called by monaco-typescript.ts: from now on, `typescript` / `javascript` workers are TS workers. */
export function provideTsWorker(create: () => Worker): void {
  createTsWorker = create;
}

let configured = false;
let typescriptRequested = false;

/**
 * Has Monaco asked for TypeScript's language features yet (a TypeScript model met an editor)? Monaco asks once
 * per page; a listener added after that (`languages.onLanguage`) never fires, so monaco-typescript.ts then sets
 * the service up itself.
 */
export function typescriptFeaturesRequested(): boolean {
  return typescriptRequested;
}

/** Configure Monaco once per page (the workers); the TypeScript service is configured by monaco-typescript.ts. */
export function setupMonaco(): Monaco {
  if (configured) return monaco;
  configured = true;
  monaco.languages.onLanguage('typescript', () => {
    typescriptRequested = true;
  });
  self.MonacoEnvironment = {
    getWorker(_workerId: string, label: string) {
      if ((label === 'typescript' || label === 'javascript') && createTsWorker) return createTsWorker();
      return new EditorWorker();
    },
  };
  defineReadableThemes();
  return monaco;
}

/**
 * WCAG AA text contrast (4.5:1; axe's color-contrast) in the built-in themes the editor uses, 'vs' and
 * 'vs-dark', redefined under their own names so every editor picks them up. Monaco's defaults fall
 * short in two places a learner reads: vs-dark's comments (#608B4E on #1E1E1E, 4.2:1 → VS Code Dark+'s
 * #6A9955, 5.0:1), the dimmed number of the last line when the file ends with a newline (1.8:1 in
 * both themes → the ordinary line-number colour, 5.0:1 and 4.6:1), and in vs the code TypeScript marks
 * unused (the starter's parameters), faded to 47% (#888887, 3.5:1 → 67%, as vs-dark fades it: #555555, 7.5:1).
 */
function defineReadableThemes(): void {
  monaco.editor.defineTheme('vs', {
    base: 'vs',
    inherit: true,
    rules: [],
    colors: { 'editorLineNumber.dimmedForeground': '#237893', 'editorUnnecessaryCode.opacity': '#000000aa' },
  });
  monaco.editor.defineTheme('vs-dark', {
    base: 'vs-dark',
    inherit: true,
    rules: [{ token: 'comment', foreground: '6A9955' }],
    colors: { 'editorLineNumber.dimmedForeground': '#858585' },
  });
}
