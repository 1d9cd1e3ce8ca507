/**
 * The checkpoint editor's second chunk: TypeScript's language service (diagnostics, type-aware autocomplete,
 * hovers, parameter hints), loaded after the editor is usable so it never delays typing. Its worker carries
 * TypeScript 5.9 itself (~1.5 MB gz); it starts when this module sets the service up.
 *
 * Monaco 0.57 specifics (ARCHITECTURE.md, "Platform"): the TypeScript defaults live in
 * `languages/features/typescript/register` (what `monaco.typescript` re-exports); compiler option `lib` takes
 * file names (`'es2020'` silently loads nothing); `addExtraLib` gives learners the exercise's types.
 *
 * Note: `register` sets the service up through `languages.onLanguage('typescript')`, an event Monaco fires
 * once per page. The editor exists before this module loads, so the event has usually fired already; then
 * `setupTypeScript` is called here instead (typescriptFeaturesRequested() tells which, so it runs once).
 */
import { ModuleKind, ModuleResolutionKind, ScriptTarget, typescriptDefaults } from 'monaco-editor/languages/features/typescript/register';
import { setupTypeScript } from 'monaco-editor/languages/features/typescript/tsMode';
import TsWorker from 'monaco-editor/language/typescript/ts.worker?worker';
import { MODEL_DIR, provideTsWorker, typescriptFeaturesRequested } from './monaco-setup.ts';

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

let enabled = false;

/**
 * Start TypeScript's language service for the page's models, once.
 * @param typesDts the exercise's learner-facing types (exercises/<id>/types.d.ts), as an extra lib
 */
export function enableTypeScript(typesDts: string): void {
  if (enabled) return;
  enabled = true;
  provideTsWorker(() => new TsWorker());
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
  if (typescriptFeaturesRequested()) setupTypeScript(typescriptDefaults);
}
