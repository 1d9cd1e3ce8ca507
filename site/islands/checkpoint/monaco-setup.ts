/**
 * Loads Monaco for the checkpoint editor: only the pieces a learner uses, bundled (never a CDN),
 * and only when the checkpoint island imports this module dynamically.
 *
 * Instead of all of `monaco-editor` (80 languages, css/html/json services, diff editor, …) this
 * pulls the editor API, TypeScript (highlighting + the language service in its worker) and the
 * editing features a learner expects: autocomplete, hovers, parameter hints, find, comment toggle,
 * bracket matching, go to next error, folding, multi-cursor, Tab-focus mode (Ctrl+M) for keyboard users.
 *
 * Monaco 0.57 specifics (ARCHITECTURE.md, "Platform"): the TypeScript defaults live in
 * `languages/features/typescript/register` (what `monaco.typescript` re-exports); compiler option `lib`
 * takes file names; `MonacoEnvironment.getWorker` returns the TS worker for typescript/javascript.
 */
import * as monaco from 'monaco-editor/editor/editor.api';
import {
  ModuleKind,
  ModuleResolutionKind,
  ScriptTarget,
  typescriptDefaults,
} from 'monaco-editor/languages/features/typescript/register';
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
import TsWorker from 'monaco-editor/language/typescript/ts.worker?worker';

export type Monaco = typeof monaco;

/** The folder the learner's file and the exercise's types share, so `import type … from './types'` resolves. */
export const MODEL_DIR = 'file:///exercise/';

/**
 * Types every checkpoint gets besides its own types.d.ts: the sandbox's captured console (the only
 * host object learner code can reach). No DOM lib: `window`, `fetch`, `document` are type errors,
 * as they are unreachable at run time.
 */
const SANDBOX_GLOBALS_DTS = `/** Captured by the grader and shown under each test in the results. */
declare const console: {
  log(...data: unknown[]): void;
  info(...data: unknown[]): void;
  warn(...data: unknown[]): void;
  error(...data: unknown[]): void;
  debug(...data: unknown[]): void;
};
`;

let configured = false;

/**
 * Configure Monaco once per page: workers, TypeScript options, extra libs.
 * @param typesDts the exercise's learner-facing types (exercises/<id>/types.d.ts)
 */
export function setupMonaco(typesDts: string): Monaco {
  if (configured) return monaco;
  configured = true;
  self.MonacoEnvironment = {
    getWorker(_workerId: string, label: string) {
      return label === 'typescript' || label === 'javascript' ? new TsWorker() : new EditorWorker();
    },
  };
  defineReadableThemes();
  typescriptDefaults.setCompilerOptions({
    target: ScriptTarget.ES2020,
    module: ModuleKind.ESNext,
    moduleResolution: ModuleResolutionKind.NodeJs,
    lib: ['lib.es2020.d.ts'],
    strict: true,
    noEmit: true,
    allowNonTsExtensions: true,
    allowImportingTsExtensions: true,
    isolatedModules: true,
    noFallthroughCasesInSwitch: true,
  });
  typescriptDefaults.setDiagnosticsOptions({ noSemanticValidation: false, noSyntaxValidation: false });
  typescriptDefaults.setEagerModelSync(true);
  typescriptDefaults.addExtraLib(SANDBOX_GLOBALS_DTS, `${MODEL_DIR}sandbox-globals.d.ts`);
  typescriptDefaults.addExtraLib(typesDts, `${MODEL_DIR}types.d.ts`);
  return monaco;
}

/**
 * WCAG AA text contrast (4.5:1; axe's color-contrast) in the built-in themes the editor uses, 'vs' and
 * 'vs-dark', redefined under their own names so every editor picks them up. Monaco's defaults fall
 * short in two places a learner reads: vs-dark's comments (#608B4E on #1E1E1E, 4.2:1 → VS Code Dark+'s
 * #6A9955, 5.0:1) and the dimmed number of the last line when the file ends with a newline (1.8:1 in
 * both themes → the ordinary line-number colour, 5.0:1 and 4.6:1).
 */
function defineReadableThemes(): void {
  monaco.editor.defineTheme('vs', {
    base: 'vs',
    inherit: true,
    rules: [],
    colors: { 'editorLineNumber.dimmedForeground': '#237893' },
  });
  monaco.editor.defineTheme('vs-dark', {
    base: 'vs-dark',
    inherit: true,
    rules: [{ token: 'comment', foreground: '6A9955' }],
    colors: { 'editorLineNumber.dimmedForeground': '#858585' },
  });
}
