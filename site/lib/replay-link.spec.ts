import { describe, expect, it } from 'vitest';
import { decodeReplay, encodeReplay, parseReplayFragment, replayFragment } from './replay-link.ts';

describe('replay links (a scenario in the URL fragment)', () => {
  const scenario = {
    id: 'commit-logic-replay',
    title: 'Replay: x',
    steps: [{ note: 'C0 polls t0p0@0..2 — "quotes", ünïcødé' }, { commit: { consumer: 'C0', offsets: { 't0-0': 3 } } }],
  };

  it('round-trips any JSON scenario, and compresses a repetitive one', async () => {
    expect(await decodeReplay(await encodeReplay(scenario))).toEqual(scenario);
    const big = { steps: Array.from({ length: 200 }, (_, i) => ({ poll: { consumer: `C${i % 3}` } })) };
    const text = await encodeReplay(big);
    expect(text).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(text.length).toBeLessThan(JSON.stringify(big).length / 5);
    expect(await decodeReplay(text)).toEqual(big);
  });

  it('a damaged or cut link is an error for people, never a crash', async () => {
    const text = await encodeReplay(scenario);
    await expect(decodeReplay(text.slice(0, 10))).rejects.toThrow(/damaged or cut off/);
    await expect(decodeReplay('not base64!')).rejects.toThrow(/damaged/);
  });

  it('the fragment carries where to go back to, a same-site path only', async () => {
    const hash = await replayFragment(scenario, '/checkpoints/commit-logic/');
    const parsed = parseReplayFragment(hash);
    expect(parsed.from).toBe('/checkpoints/commit-logic/');
    expect(await decodeReplay(parsed.encoded!)).toEqual(scenario);
    expect(parseReplayFragment('#from=https%3A%2F%2Fevil.example&s=x').from).toBeNull();
    expect(parseReplayFragment('#from=%2F%2Fevil.example&s=x').from).toBeNull();
    expect(parseReplayFragment('').encoded).toBeNull();
  });
});
