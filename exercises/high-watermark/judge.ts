/**
 * The verdict on one step of a `high-watermark` case: the learner's state and responses against
 * the engine's, the first difference named in Kafka's terms with its consequence, in this order —
 * the HW moving backwards, the ISR, the HW too high (under min ISR, or past a record an ISR member
 * lacks), the HW too low (held back by a replica outside the ISR), the answers.
 *
 * Example: the engine's HW 6, ISR [0, 1, 2] with broker 2 known at 6; the learner's HW 7 →
 *   "HW 7 passed offset 6, which broker 2 (in the ISR) does not have: if the leader fails now,
 *    broker 2 can be elected and an acknowledged record is lost"
 */
import type { Expected, LeaderEventData, ResponseData } from './timeline.ts';

/** A learner result of the wrong shape. */
export class InvalidResult extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'InvalidResult';
  }
}

export interface LearnerView {
  isr: number[];
  highWatermark: number;
  responses: ResponseData[];
}

const list = (xs: readonly number[]) => `[${xs.join(', ')}]`;
const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const describe = (v: unknown) => {
  try {
    const s = JSON.stringify(v);
    return s === undefined ? String(v) : s.length > 80 ? `${s.slice(0, 80)}…` : s;
  } catch {
    return String(v);
  }
};

/** Read what onEvent returned. @throws InvalidResult naming what is wrong */
export function readResult(value: unknown): { state: unknown; view: LearnerView } {
  if (!isObject(value)) throw new InvalidResult(`onEvent returned ${describe(value)}; expected { state, responses }`);
  const { state, responses } = value;
  if (!isObject(state)) throw new InvalidResult(`onEvent returned state = ${describe(state)}; expected the leader's state object`);
  const { isr, highWatermark } = state;
  if (!Array.isArray(isr) || !isr.every((b) => Number.isInteger(b)))
    throw new InvalidResult(`onEvent returned state.isr = ${describe(isr)}; expected an array of broker ids like [0, 1, 2]`);
  if (typeof highWatermark !== 'number' || !Number.isInteger(highWatermark))
    throw new InvalidResult(`onEvent returned state.highWatermark = ${describe(highWatermark)}; expected a whole number`);
  if (!Array.isArray(responses))
    throw new InvalidResult(`onEvent returned responses = ${describe(responses)}; expected an array (empty when nothing is answered)`);
  for (const r of responses) {
    if (!isObject(r) || !Number.isInteger(r.requestId) || (r.error !== 'NONE' && r.error !== 'NOT_ENOUGH_REPLICAS'))
      throw new InvalidResult(
        `onEvent returned a response ${describe(r)}; expected { requestId, error: 'NONE' | 'NOT_ENOUGH_REPLICAS', offset }`,
      );
  }
  return {
    state,
    view: {
      isr: [...new Set(isr as number[])].sort((a, b) => a - b),
      highWatermark,
      responses: (responses as ResponseData[]).map((r) => ({ requestId: r.requestId, error: r.error, offset: r.offset ?? null })),
    },
  };
}

/**
 * Compare one step.
 * @param previousHw the learner's HW before this event
 * @returns the failure message, or null when the learner agrees with the engine
 */
export function judge(
  event: LeaderEventData,
  exp: Expected,
  act: LearnerView,
  previousHw: number,
  config: { minInsyncReplicas: number; replicaLagTimeMaxMs: number; replicationFactor: number },
  requestOffsets: ReadonlyMap<number, number>,
): string | null {
  const minIsr = Math.min(config.minInsyncReplicas, config.replicationFactor);
  // 1. backwards
  if (act.highWatermark < previousHw) {
    const consequence =
      act.highWatermark >= 0
        ? `consumers may already have read offsets ${act.highWatermark}..${previousHw - 1}, and acks=all writes below ${previousHw} were acknowledged as committed`
        : 'a follower not heard from yet (logEndOffset -1) must not pull it down';
    return `HW went back from ${previousHw} to ${act.highWatermark}: the high watermark never moves backwards — ${consequence}.`;
  }
  // 2. the ISR
  const extra = act.isr.filter((b) => !exp.isr.includes(b));
  const missing = exp.isr.filter((b) => !act.isr.includes(b));
  if (extra.length || missing.length) {
    const head = `ISR ${list(act.isr)}, expected ${list(exp.isr)}`;
    if (extra.length) {
      const b = extra[0];
      if (event.type === 'broker-down' && event.broker === b)
        return `${head}: broker ${b} is down and still in the ISR; the controller removes a failed broker at once.`;
      if (exp.known[b] !== undefined && event.type === 'isr-check') {
        const lag = event.timeMs - exp.lastCaughtUpTimeMs[b];
        return `${head}: broker ${b} has not caught up for ${lag} ms, more than replica.lag.time.max.ms ${config.replicaLagTimeMaxMs}, and is still in the ISR: it holds the high watermark back, and every acks=all write waits for a replica that is not keeping up.`;
      }
      return `${head}: broker ${b} should not be in the ISR (its logEndOffset on the leader is ${exp.known[b]}, the high watermark ${exp.highWatermark}).`;
    }
    const b = missing[0];
    if (event.type === 'fetch' && event.broker === b)
      return `${head}: broker ${b} fetched at offset ${event.fetchOffset} ≥ the high watermark ${exp.highWatermark}: it has caught up and rejoins the ISR.`;
    return `${head}: broker ${b} was caught up (lastCaughtUpTimeMs ${exp.lastCaughtUpTimeMs[b]}, replica.lag.time.max.ms ${config.replicaLagTimeMaxMs}) and stays in the ISR.`;
  }
  // 3. the HW too high
  if (act.highWatermark > exp.highWatermark) {
    if (exp.isr.length < minIsr && act.highWatermark > previousHw) {
      return `HW moved from ${previousHw} to ${act.highWatermark} while the ISR ${list(exp.isr)} is smaller than min.insync.replicas ${config.minInsyncReplicas}: since Kafka 3.7 (KAFKA-15583) the leader keeps the high watermark where it is, so ${act.highWatermark - previousHw === 1 ? `offset ${previousHw}` : `offsets ${previousHw}..${act.highWatermark - 1}`} would count as committed with fewer than ${minIsr} copies.`;
    }
    const behind = exp.isr.filter((b) => b !== 0 && exp.known[b] < act.highWatermark).sort((a, b) => exp.known[a] - exp.known[b]);
    if (behind.length) {
      const b = behind[0];
      const lacks = Math.max(0, exp.known[b]);
      return `HW ${act.highWatermark} passed offset ${lacks}, which broker ${b} (in the ISR) does not have: if the leader fails now, broker ${b} can be elected and an acknowledged record is lost. The high watermark is the minimum logEndOffset over the ISR (expected ${exp.highWatermark}).`;
    }
    return `HW ${act.highWatermark} is past the leader's own log: expected ${exp.highWatermark}.`;
  }
  // 4. the HW too low
  if (act.highWatermark < exp.highWatermark) {
    const outside = Object.keys(exp.known)
      .map(Number)
      .filter((b) => !exp.isr.includes(b) && exp.known[b] < exp.highWatermark);
    const because = outside.length
      ? ` Broker ${outside[0]} is not in the ISR (it knows offsets below ${Math.max(0, exp.known[outside[0]])} only) and must not hold the high watermark back: the ISR is what commits.`
      : '';
    return `HW ${act.highWatermark}, expected ${exp.highWatermark}: every ISR member ${list(exp.isr)} has offsets below ${exp.highWatermark}, so they are committed; consumers and acks=all producers wait for nothing.${because}`;
  }
  // 5. the answers
  const byId = (rs: ResponseData[]) => new Map(rs.map((r) => [r.requestId, r]));
  const e = byId(exp.responses);
  const a = byId(act.responses);
  for (const [id, r] of a) {
    const want = e.get(id);
    if (want && want.error === r.error && (r.error !== 'NONE' || want.offset === r.offset)) continue;
    const offset = requestOffsets.get(id);
    if (r.error === 'NONE' && want === undefined && offset !== undefined) {
      const lacking = exp.isr.filter((b) => b !== 0 && exp.actual[b] <= offset);
      return `request ${id} (offset ${offset}) acknowledged while the HW is ${exp.highWatermark}: ${lacking.length ? `broker${lacking.length > 1 ? 's' : ''} ${lacking.join(', ')} in the ISR ${lacking.length > 1 ? 'do' : 'does'} not have it yet, and if the leader fails now it can be lost although the producer was told it is safe` : 'it is not committed yet'}. acks=all answers once the high watermark passes the record.`;
    }
    if (want === undefined)
      return `request ${id} answered ${r.error}, but it is still waiting for the high watermark (expected no answer yet).`;
    return `request ${id} answered ${r.error}${r.offset !== null ? ` (offset ${r.offset})` : ''}, expected ${want.error}${want.offset !== null ? ` (offset ${want.offset})` : ''}.`;
  }
  for (const [id, want] of e) {
    if (a.has(id)) continue;
    if (want.error === 'NOT_ENOUGH_REPLICAS')
      return `request ${id} should be refused with NOT_ENOUGH_REPLICAS: the ISR ${list(exp.isr)} is smaller than min.insync.replicas ${config.minInsyncReplicas}, so nothing is appended.`;
    return `request ${id} (offset ${want.offset}) is committed — the HW ${exp.highWatermark} passed it — but was not acknowledged: the producer waits until its request times out.`;
  }
  return null;
}
