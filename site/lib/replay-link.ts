/**
 * A scenario in a URL fragment, for "Replay in the player": JSON → deflate-raw (the platform's
 * CompressionStream, no library) → base64url. The fragment never reaches a server, so a learner's
 * run stays in their browser.
 *
 * Example: encodeReplay(scenario) → "s=7VjbbtswDP0…"; `${BASE}scenarios/replay/#from=…&s=…` opens it.
 *
 * Works in browsers and in Node ≥ 18 (CompressionStream and DecompressionStream are globals there).
 */

/** The fragment parameter that carries the compressed scenario. */
export const REPLAY_PARAM = 's';
/** The fragment parameter that carries the page to go back to (a path on this site). */
export const FROM_PARAM = 'from';

function toBase64Url(bytes: Uint8Array): string {
  let binary = '';
  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

function fromBase64Url(text: string): Uint8Array {
  if (!/^[A-Za-z0-9_-]*$/.test(text)) throw new Error('the link is damaged (characters that base64url does not use)');
  const binary = atob(text.replace(/-/g, '+').replace(/_/g, '/') + '='.repeat((4 - (text.length % 4)) % 4));
  return Uint8Array.from(binary, (c) => c.charCodeAt(0));
}

async function pipe(bytes: Uint8Array, stream: CompressionStream | DecompressionStream): Promise<Uint8Array> {
  const out = new Response(new Blob([bytes as BlobPart]).stream().pipeThrough(stream));
  return new Uint8Array(await out.arrayBuffer());
}

/** The scenario (any JSON value) as a compact base64url string. */
export async function encodeReplay(value: unknown): Promise<string> {
  const json = new TextEncoder().encode(JSON.stringify(value));
  return toBase64Url(await pipe(json, new CompressionStream('deflate-raw')));
}

/**
 * The JSON value back from {@link encodeReplay}'s string.
 * @throws Error in the learner's terms when the text is not a replay (cut off, edited, not base64url)
 */
export async function decodeReplay(text: string): Promise<unknown> {
  let bytes: Uint8Array;
  try {
    bytes = await pipe(fromBase64Url(text), new DecompressionStream('deflate-raw'));
  } catch (e) {
    throw new Error(`The replay link is damaged or cut off (${(e as Error).message}).`, { cause: e });
  }
  try {
    return JSON.parse(new TextDecoder().decode(bytes));
  } catch {
    throw new Error('The replay link is damaged: it does not hold a scenario.');
  }
}

/** `#from=/checkpoints/commit-logic/&s=…` for the replay page. */
export async function replayFragment(value: unknown, from: string): Promise<string> {
  return `#${FROM_PARAM}=${encodeURIComponent(from)}&${REPLAY_PARAM}=${await encodeReplay(value)}`;
}

/** Read a replay page's fragment: the encoded scenario and where to go back to (a same-site path only). */
export function parseReplayFragment(hash: string): { encoded: string | null; from: string | null } {
  const params = new URLSearchParams(hash.replace(/^#/, ''));
  const from = params.get(FROM_PARAM);
  // only a path on this site: never an absolute URL, never "//host"
  const safeFrom = from && from.startsWith('/') && !from.startsWith('//') ? from : null;
  return { encoded: params.get(REPLAY_PARAM), from: safeFrom };
}
