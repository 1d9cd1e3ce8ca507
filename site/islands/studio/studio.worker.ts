/**
 * The studio's Web Worker: checks and plays the author's scenario off the main thread, so the page (the
 * editor, the player) stays responsive while the engine runs. Messages:
 *   in:  { id, kind: 'analyze' | 'play', text }
 *   out: { id, kind, result } — result is an Analysis or a PlayResult (./studio-run.ts), plain JSON.
 */
import { analyzeScenario, playScenarioText } from './studio-run.ts';

export type StudioRequest = { id: number; kind: 'analyze' | 'play'; text: string };

self.onmessage = (event: MessageEvent<StudioRequest>) => {
  const { id, kind, text } = event.data;
  const result = kind === 'play' ? playScenarioText(text) : analyzeScenario(text);
  self.postMessage({ id, kind, result });
};
