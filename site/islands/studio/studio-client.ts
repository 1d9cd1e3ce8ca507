/**
 * The page's side of the studio worker (./studio.worker.ts): `analyze(text)` and `play(text)` return
 * promises; a newer request of the same kind supersedes an older one (its promise resolves with the newer
 * result's turn skipped: callers check `latest`). The worker is created on first use.
 */
import type { Analysis, PlayResult } from './studio-run.ts';
import type { StudioRequest } from './studio.worker.ts';

export class StudioClient {
  private worker: Worker | null = null;
  private next = 1;
  private pending = new Map<number, (result: unknown) => void>();

  private get port(): Worker {
    if (!this.worker) {
      this.worker = new Worker(new URL('./studio.worker.ts', import.meta.url), { type: 'module', name: 'studio' });
      this.worker.onmessage = (e: MessageEvent<{ id: number; result: unknown }>) => {
        this.pending.get(e.data.id)?.(e.data.result);
        this.pending.delete(e.data.id);
      };
    }
    return this.worker;
  }

  private request<T>(kind: StudioRequest['kind'], text: string): Promise<T> {
    const id = this.next++;
    return new Promise<T>((resolve) => {
      this.pending.set(id, resolve as (r: unknown) => void);
      this.port.postMessage({ id, kind, text } satisfies StudioRequest);
    });
  }

  /** Check the text (YAML syntax, the format, references). */
  analyze(text: string): Promise<Analysis> {
    return this.request('analyze', text);
  }

  /** Check, play with the engine and verify the story checks. */
  play(text: string): Promise<PlayResult> {
    return this.request('play', text);
  }

  dispose(): void {
    this.worker?.terminate();
    this.worker = null;
  }
}
