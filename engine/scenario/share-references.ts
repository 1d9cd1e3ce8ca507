/**
 * Reference checks for the share-group parts of a scenario (KIP-932): share groups and share
 * consumers declared once, share consumers in declared share groups and topics, share steps naming
 * share consumers, acknowledge offsets naming partitions of declared topics. Called by
 * ./references.ts; problems use its path notation (`steps[4].acknowledge.consumer`).
 */
import type { Scenario, AcknowledgeStep } from './authoring.ts';
import { parseTpKey } from '../common/notation.ts';

type Add = (path: (string | number)[], message: string, received: unknown, expected: string) => void;

const SHARE_STEPS = ['sharePoll', 'acknowledge', 'shareCommit', 'shareClose', 'shareCrash'] as const;

/** Report the share-group problems of `s` through `add` (document order). */
export function checkShareReferences(s: Scenario, add: Add): void {
  const list = (xs: Iterable<unknown>) => [...xs].map((x) => JSON.stringify(x)).join(', ') || '(none declared)';
  const topics = new Map((s.topics ?? []).map((t) => [t.name, t.partitions] as const));
  const groups = new Set<string>();
  (s.shareGroups ?? []).forEach((g, i) => {
    if (groups.has(g.id)) add(['shareGroups', i, 'id'], 'duplicate shareGroups id', g.id, 'an id not used by another share group');
    if ((s.groups ?? []).some((c) => c.id === g.id))
      add(['shareGroups', i, 'id'], 'a consumer group has this id', g.id, 'a group id used by one kind of group only');
    groups.add(g.id);
  });
  const classic = new Set((s.consumers ?? []).map((c) => c.id));
  const shareConsumers = new Set<string>();
  (s.shareConsumers ?? []).forEach((c, i) => {
    if (shareConsumers.has(c.id) || classic.has(c.id))
      add(['shareConsumers', i, 'id'], 'duplicate consumer id', c.id, 'an id not used by another consumer or share consumer');
    shareConsumers.add(c.id);
    if (!groups.has(c.group))
      add(['shareConsumers', i, 'group'], 'unknown share group', c.group, `one of the declared share groups: ${list(groups)}`);
    c.topics.forEach((t, j) => {
      if (!topics.has(t)) add(['shareConsumers', i, 'topics', j], 'unknown topic', t, `one of the declared topics: ${list(topics.keys())}`);
    });
  });
  const need = (name: unknown, path: (string | number)[]) => {
    if (!shareConsumers.has(name as string))
      add(path, 'unknown share consumer', name, `one of the declared share consumers: ${list(shareConsumers)}`);
  };
  (s.steps ?? []).forEach((step, i) => {
    const kind = SHARE_STEPS.find((k) => k in step);
    if (!kind || Object.keys(step).length !== 1) return;
    const body = (step as Record<string, unknown>)[kind] as Record<string, unknown>;
    const at = (...rest: (string | number)[]) => ['steps', i, kind, ...rest];
    if (kind === 'sharePoll') {
      const b = body as { consumer?: string; consumers?: string[] };
      if (b.consumer !== undefined && b.consumers !== undefined)
        add(
          at(),
          'give consumer or consumers, not both',
          Object.keys(b),
          'consumer (one id), consumers (a list), or neither (every share consumer)',
        );
      if (b.consumer !== undefined) need(b.consumer, at('consumer'));
      b.consumers?.forEach((c, j) => need(c, at('consumers', j)));
      return;
    }
    need(body.consumer, at('consumer'));
    if (kind === 'acknowledge') {
      const b = body as unknown as AcknowledgeStep;
      const spec = (s.shareConsumers ?? []).find((c) => c.id === b.consumer);
      if (spec && (spec.config?.shareAcknowledgementMode ?? 'implicit') !== 'explicit')
        add(
          at('consumer'),
          `${b.consumer} acknowledges implicitly (acknowledge() throws IllegalStateException)`,
          b.consumer,
          'a share consumer with config.shareAcknowledgementMode: explicit',
        );
      for (const key of Object.keys(b.offsets ?? {})) {
        let ok = false;
        try {
          const tp = parseTpKey(key);
          ok = tp.partition < (topics.get(tp.topic) ?? 0);
        } catch {
          ok = false;
        }
        if (!ok)
          add(
            at('offsets', key),
            'not a partition of a declared topic',
            key,
            '"<topic>-<partition>" (TopicPartition.toString()), e.g. "t0-0"',
          );
      }
    }
  });
}
