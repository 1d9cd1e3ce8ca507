/**
 * Monaco 0.57 ships no declarations for the TypeScript mode module; monaco-typescript.ts calls one function
 * of it (the one `languages/features/typescript/register` calls when Monaco asks for TypeScript's features).
 */
declare module 'monaco-editor/languages/features/typescript/tsMode' {
  import type { typescriptDefaults } from 'monaco-editor/languages/features/typescript/register';
  export function setupTypeScript(defaults: typeof typescriptDefaults): void;
}
