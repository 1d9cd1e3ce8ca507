/**
 * Mistake: the high watermark as the maximum logEndOffset over the ISR instead of the minimum: it runs ahead of what the followers have, and a leader failure loses acknowledged records.
 */
/** The ISR must have at least this many members for acks=all: min(min.insync.replicas, replication factor). */
function minIsr(config: LeaderConfig): number {
  return Math.min(config.minInsyncReplicas, config.replicas.length);
}

/** HW := min logEndOffset over the ISR — only forward, and not at all below min ISR (Kafka 3.7+). */
function maybeIncrementHighWatermark(config: LeaderConfig, state: LeaderState): void {
  if (state.isr.length < minIsr(config)) return;
  let hw = state.logEndOffset;
  for (const b of state.isr) {
    if (b === config.replicas[0]) continue;
    hw = Math.max(hw, state.followers[b].logEndOffset);
  }
  if (hw > state.highWatermark) state.highWatermark = hw;
}

/** Answer every waiting acks=all request whose record is now below the high watermark. */
function completeWaiting(state: LeaderState, responses: ProduceResponse[]): void {
  state.waiting = state.waiting.filter((w) => {
    if (w.offset >= state.highWatermark) return true;
    responses.push({ requestId: w.requestId, error: 'NONE', offset: w.offset });
    return false;
  });
}

export function onEvent(config: LeaderConfig, state: LeaderState, event: LeaderEvent): StepResult {
  const responses: ProduceResponse[] = [];
  switch (event.type) {
    case 'produce': {
      if (state.isr.length < minIsr(config)) {
        responses.push({ requestId: event.requestId, error: 'NOT_ENOUGH_REPLICAS', offset: null });
        return { state, responses };
      }
      state.waiting.push({ requestId: event.requestId, offset: state.logEndOffset });
      state.logEndOffset += 1;
      break;
    }
    case 'fetch': {
      const f = state.followers[event.broker];
      if (event.fetchOffset >= state.logEndOffset) f.lastCaughtUpTimeMs = Math.max(f.lastCaughtUpTimeMs, event.timeMs);
      else if (event.fetchOffset >= f.lastFetchLeaderLogEndOffset) f.lastCaughtUpTimeMs = Math.max(f.lastCaughtUpTimeMs, f.lastFetchTimeMs);
      f.logEndOffset = event.fetchOffset;
      f.lastFetchLeaderLogEndOffset = state.logEndOffset;
      f.lastFetchTimeMs = event.timeMs;
      if (!state.isr.includes(event.broker) && f.logEndOffset >= state.highWatermark) state.isr.push(event.broker);
      break;
    }
    case 'isr-check': {
      state.isr = state.isr.filter((b) => {
        if (b === config.replicas[0]) return true;
        const f = state.followers[b];
        return f.logEndOffset === state.logEndOffset || event.timeMs - f.lastCaughtUpTimeMs <= config.replicaLagTimeMaxMs;
      });
      break;
    }
    case 'broker-down':
      state.isr = state.isr.filter((b) => b !== event.broker);
      break;
  }
  maybeIncrementHighWatermark(config, state);
  completeWaiting(state, responses);
  return { state, responses };
}
