/**
 * The studio's share links: the scenario file's text, compressed into the URL fragment with the same codec as
 * "Replay in the player" (./replay-link.ts: deflate-raw through the platform's CompressionStream, base64url).
 * The fragment never reaches a server; opening the link shows the same text and plays it.
 *
 * Example: studioShareUrl(text, 'https://…/studio/?scenario=acks-1-loss') → 'https://…/studio/#s=7VjbbtswDP0…'.
 */
import { decodeReplay, encodeReplay } from './replay-link.ts';

/** The fragment parameter that carries the compressed file. */
export const SHARE_PARAM = 's';

/**
 * A link to the studio holding `text`.
 * @param currentHref the studio page's address (its query, e.g. `?scenario=…`, is dropped: the fragment wins)
 */
export async function studioShareUrl(text: string, currentHref: string): Promise<string> {
  const url = new URL(currentHref);
  url.search = '';
  url.hash = `${SHARE_PARAM}=${await encodeReplay(text)}`;
  return url.href;
}

/**
 * The file a share link's fragment holds, or null when the fragment holds none.
 * @returns a promise of the text; it rejects with a message in the reader's terms for a damaged link
 */
export function readStudioFragment(hash: string): Promise<string> | null {
  const encoded = new URLSearchParams(hash.replace(/^#/, '')).get(SHARE_PARAM);
  if (!encoded) return null;
  return decodeReplay(encoded).then((value) => {
    if (typeof value !== 'string') throw new Error('The share link is damaged: it does not hold a scenario file.');
    return value;
  });
}

/** The `id:` of a scenario's YAML text (for the download's file name), or null when there is none. */
export function scenarioIdOf(text: string): string | null {
  const m = /^id:[ \t]*['"]?([a-z0-9]+(?:-[a-z0-9]+)*)['"]?[ \t]*(?:#.*)?$/m.exec(text);
  return m ? m[1] : null;
}
