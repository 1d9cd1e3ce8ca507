/**
 * Quizzes and lesson frontmatter: every computable answer is the engine's, every lesson's references
 * resolve, and authoring mistakes produce messages with the file, the field, what was received and what
 * was expected (never a bare zod dump).
 *
 * The oracle here calls the engine directly (partitionForKey, murmur2, toPositive), independently of
 * site/lib/quiz-answers.ts, so a bug in the query vocabulary is caught too.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { ASSIGNORS, murmur2, partitionForKey, runScenario, toPositive, utf8 } from '../engine/index.ts';
import { SharePartition, defaultShareGroupConfig, simpleAssign } from '../engine/index.ts';
import type { Assignment, AssignorName, Scenario } from '../engine/index.ts';
import { exercises } from '../exercises/index.ts';
import { AuthoringError, formatIssues, friendlyParse } from './schema/friendly-errors.ts';
import { lessonReferenceIssues, lessonSchema } from './schema/lesson.ts';
import { deterministicShuffle, parseQuizFile } from '../site/lib/quiz.ts';
import { quizSourceSchema, type QuestionSource } from './schema/quiz.ts';
import { isCorrect } from '../site/lib/quiz-grading.ts';

const ROOT = resolve(import.meta.dirname, '..');
const quizFiles = readdirSync(resolve(ROOT, 'content/quizzes')).filter((f) => f.endsWith('.yaml'));
const lessonFiles = readdirSync(resolve(ROOT, 'content/lessons')).filter((f) => f.endsWith('.mdx'));

/** The engine's answer to an engine query, computed here without the query vocabulary. */
function oracle(query: Record<string, unknown>): number | string[] {
  const p = (key: string, n: number) => partitionForKey(utf8(key), n);
  switch (query.engine) {
    case 'murmur2':
      return murmur2(utf8(query.key as string));
    case 'toPositive':
      return toPositive(query.key !== undefined ? murmur2(utf8(query.key as string)) : (query.n as number));
    case 'partitionForKey':
      return p(query.key as string, query.numPartitions as number);
    case 'keysThatMove':
      return (query.keys as string[]).filter((k) => p(k, query.from as number) !== p(k, query.to as number));
    case 'keysOnPartition':
      return (query.keys as string[]).filter((k) => p(k, query.numPartitions as number) === query.partition);
    case 'assign':
      return assignOracle(query);
    case 'consume':
      return consumeOracle(query);
    case 'shareAssign':
    case 'shareRecords':
      return shareOracle(query);
    case 'replicate':
      return replicateOracle(query);
    case 'reconcile':
      return reconcileOracle(query);
    default:
      throw new Error(`no oracle for ${String(query.engine)}`);
  }
}

/** The `reconcile` query (KIP-848), from Kafka's stated rule: revoke before assign; then the assignment epoch and the free partitions. */
function reconcileOracle(query: Record<string, unknown>): number {
  const held = query.held as string[];
  const target = query.target as string[];
  const elsewhere = (query.ownedElsewhere as string[] | undefined) ?? [];
  const revoke = held.filter((p) => !target.includes(p));
  if (query.ask === 'revokeCount') return revoke.length;
  if (query.ask === 'memberEpoch') return revoke.length ? (query.memberEpoch as number) : (query.assignmentEpoch as number);
  return revoke.length ? 0 : target.filter((p) => !held.includes(p) && !elsewhere.includes(p)).length;
}

/**
 * The share-group queries (KIP-932), straight from the engine: simpleAssign on C0 … C(M−1) for
 * shareAssign; for shareRecords, one SharePartition over offsets 0 … keys−1, driven step by step.
 */
function shareOracle(query: Record<string, unknown>): number | string[] {
  if (query.engine === 'shareAssign') {
    const m = query.members as number;
    const a = simpleAssign({ t0: query.partitions as number }, Object.fromEntries(Array.from({ length: m }, (_, i) => [`C${i}`, ['t0']])));
    if (query.ask === 'partitionsOfMember') return a[query.member as string].length;
    if (query.ask === 'idleMembers') return Object.values(a).filter((tps) => tps.length === 0).length;
    const sharers = new Map<number, number>();
    for (const tps of Object.values(a)) for (const tp of tps) sharers.set(tp.partition, (sharers.get(tp.partition) ?? 0) + 1);
    return Math.max(...sharers.values());
  }
  const keys = query.keys as string[];
  const terminal = new Map<number, { state: string; deliveryCount: number }>();
  const p = new SharePartition(
    { topic: 't0', partition: 0 },
    defaultShareGroupConfig({
      autoOffsetReset: 'earliest',
      recordLockDurationMs: query.recordLockDurationMs as number | undefined,
      deliveryCountLimit: query.deliveryCountLimit as number | undefined,
    }),
    { logStartOffset: 0, highWatermark: keys.length, offsets: (a, b) => keys.map((_, i) => i).filter((i) => i >= a && i < b) },
    (e) => {
      if ('state' in e && (e.state === 'acknowledged' || e.state === 'archived'))
        terminal.set(e.offset, { state: e.state, deliveryCount: e.deliveryCount });
    },
  );
  let now = 0;
  for (const step of query.steps as Record<string, unknown>[]) {
    if (typeof step.waitMs === 'number') p.expireLocks((now += step.waitMs));
    else if (typeof step.fetch === 'string') p.acquire(step.fetch, (step.max as number | undefined) ?? 500, now);
    else {
      const ack = step.ack as { member: string; key: string; type: 'accept' | 'release' | 'reject' | 'renew' };
      p.acknowledge(ack.member, keys.indexOf(ack.key), ack.type, now);
    }
  }
  const end = keys.map((key, offset) => ({ key, ...(p.stateOf(offset) ?? terminal.get(offset)!) }));
  if (query.ask === 'inState') return end.filter((r) => r.state === query.state).map((r) => r.key);
  if (query.ask === 'deliveryCount') return end.find((r) => r.key === query.key)!.deliveryCount;
  return p.startOffset ?? 0;
}

/**
 * The `assign` query, straight from the engine's assignors: the previous generation from scratch, then the
 * current one with ownedPartitions (generation 1); cooperative-sticky reruns until nothing is held back.
 */
function assignOracle(query: Record<string, unknown>): number {
  const assignor = ASSIGNORS[query.assignor as AssignorName];
  const ppt = query.partitionsPerTopic as Record<string, number>;
  const current = query.subscriptions as Record<string, string[]>;
  const previous = query.previous as Record<string, string[]> | undefined;
  const withOwned = (owned: Assignment | undefined, generationId: number) =>
    Object.fromEntries(
      Object.entries(current).map(([m, topics]) => [
        m,
        { topics, ownedPartitions: owned?.[m] ?? [], generationId: owned?.[m] ? generationId : undefined },
      ]),
    );
  const before = previous
    ? assignor.assign(ppt, Object.fromEntries(Object.entries(previous).map(([m, topics]) => [m, { topics }])))
    : undefined;
  const size = (a: Assignment) => Object.values(a).flat().length;
  const wanted = Object.entries(ppt)
    .filter(([t]) => Object.values(current).some((ts) => ts.includes(t)))
    .reduce((n, [, c]) => n + c, 0);
  let after = assignor.assign(ppt, withOwned(before, 1));
  for (let generation = 2; size(after) < wanted && generation <= 3; generation++)
    after = assignor.assign(ppt, withOwned(after, generation));
  const counts = Object.values(after).map((tps) => tps.length);
  switch (query.ask) {
    case 'partitionCount':
      return after[query.member as string].length;
    case 'idleMembers':
      return counts.filter((c) => c === 0).length;
    case 'spread':
      return Math.max(...counts) - Math.min(...counts);
    case 'movedPartitions': {
      const ownerAfter = new Map(Object.entries(after).flatMap(([m, tps]) => tps.map((tp) => [`${tp.topic}-${tp.partition}`, m] as const)));
      return Object.entries(before ?? {}).flatMap(([m, tps]) =>
        tps.filter((tp) => {
          const to = ownerAfter.get(`${tp.topic}-${tp.partition}`);
          return to !== undefined && to !== m;
        }),
      ).length;
    }
    default:
      throw new Error(`no oracle for assign ask ${String(query.ask)}`);
  }
}

/**
 * The `consume` query, played with runScenario directly: one broker, t0, P0, group g1 (range) of the query's
 * consumers subscribed to t0; the answer read from the final state.
 */
function consumeOracle(query: Record<string, unknown>): number {
  const scenario = {
    id: 'oracle',
    title: 'oracle',
    summary: 'oracle',
    seed: 1,
    brokers: 1,
    topics: [{ name: 't0', partitions: (query.partitions as number | undefined) ?? 1, configs: query.configs }],
    cluster: query.cluster,
    producers: [{ id: 'P0' }],
    groups: [{ id: 'g1', assignor: 'range' }],
    consumers: Object.entries(query.consumers as Record<string, object>).map(([id, config]) => ({
      id,
      group: 'g1',
      topics: ['t0'],
      config,
    })),
    steps: query.steps,
  } as unknown as Scenario;
  const { state } = runScenario(scenario, { trace: 'none' });
  const g = state.snapshot.groups.find((x) => x.id === 'g1')!;
  const processed = Object.values(state.processed)
    .flat()
    .map((r) => `${r.partition}@${r.offset}`);
  const logged = state.snapshot.partitions.flatMap((p) => state.logs[p.label].map((r) => `${p.partition}@${r.offset}`));
  switch (query.ask) {
    case 'committed':
      return g.offsets.find((o) => o.partition === ((query.partition as number | undefined) ?? 0))!.committed!;
    case 'lag':
      return g.offsets.reduce((n, o) => n + o.lag, 0);
    case 'processedTwice':
      return new Set(processed.filter((r, i) => processed.indexOf(r) !== i)).size;
    case 'neverProcessed':
      return logged.filter((r) => !processed.includes(r)).length;
    case 'received':
      return Object.values(state.received).flat().length;
    case 'logStartOffset':
      // the first offset still in the log, or the log end when retention deleted everything
      return state.logs[state.snapshot.partitions[0].label][0]?.offset ?? state.snapshot.partitions[0].logEndOffset;
    case 'recordsInLog':
      return logged.length;
    default:
      throw new Error(`no oracle for consume ask ${String(query.ask)}`);
  }
}

/** The `replicate` query: its replication story played by runScenario, read at the end. */
function replicateOracle(query: Record<string, unknown>): number {
  const rf = query.replicationFactor as number;
  const configs = Object.fromEntries(
    (['minInsyncReplicas', 'uncleanLeaderElectionEnable'] as const).filter((k) => query[k] !== undefined).map((k) => [k, query[k]]),
  );
  const cluster = Object.fromEntries(
    (['kafkaVersion', 'eligibleLeaderReplicasEnable'] as const).filter((k) => query[k] !== undefined).map((k) => [k, query[k]]),
  );
  const scenario = {
    id: 'oracle',
    title: 'oracle',
    summary: 'oracle',
    seed: 1,
    brokers: (query.brokers as number | undefined) ?? rf,
    cluster,
    topics: [{ name: 't0', partitions: 1, replicationFactor: rf, configs }],
    producers: Object.entries((query.producers as Record<string, object> | undefined) ?? { P0: {} }).map(([id, config]) => ({
      id,
      config,
    })),
    steps: query.steps,
  } as unknown as Scenario;
  const { state } = runScenario(scenario);
  const p = state.snapshot.partitions[0];
  const sends = Object.entries(state.deliveries)
    .filter(([id]) => query.producer === undefined || id === query.producer)
    .flatMap(([, d]) => d);
  const acked = sends.filter((d) => d.status === 'acked');
  switch (query.ask) {
    case 'highWatermark':
      return p.highWatermark;
    case 'logEndOffset':
      return p.logEndOffset;
    case 'leader':
      return p.leader ?? -1;
    case 'isrSize':
      return p.isr.length;
    case 'acked':
      return acked.length;
    case 'failed':
      return sends.filter((d) => d.status === 'failed').length;
    case 'ackedLost':
      return acked.filter((d) => !state.logs.t0p0.some((r) => r.offset === d.offset && r.value === d.value)).length;
    default:
      throw new Error(`no oracle for replicate ask ${String(query.ask)}`);
  }
}

/** Parse a quiz from YAML text; returns the AuthoringError's message, or fails the test if it parsed. */
function brokenQuizMessage(yamlText: string, file = 'content/quizzes/broken.yaml'): string {
  try {
    parseQuizFile(file, yamlText);
  } catch (e) {
    expect(e).toBeInstanceOf(AuthoringError);
    return (e as Error).message;
  }
  throw new Error('expected the quiz to be rejected');
}

const numeric = (answer: string) => `
questions:
  - id: q1
    type: numeric
    prompt: Which partition?
    answer: ${answer}
    explanation: Partition {answer}.
`;

describe.each(quizFiles)('content/quizzes/%s', (name) => {
  const file = `content/quizzes/${name}`;
  const text = readFileSync(resolve(ROOT, file), 'utf8');
  // parseQuizFile first: a broken quiz fails with its friendly AuthoringError (file, field, received, expected),
  // never with the raw ZodError dump that quizSourceSchema.parse would throw.
  const quiz = parseQuizFile(file, text);
  const source = quizSourceSchema.parse(parseYaml(text));

  it('compiles, with unique question ids', () => {
    expect(quiz.questions.length).toBe(source.questions.length);
    expect(new Set(quiz.questions.map((q) => q.id)).size).toBe(quiz.questions.length);
  });

  it('every computable answer equals the engine’s', () => {
    const computable = source.questions.filter(
      (q): q is QuestionSource & { answer: Record<string, unknown> } => 'answer' in q && q.answer !== undefined,
    );
    expect(computable.length).toBeGreaterThan(0);
    for (const src of computable) {
      const compiled = quiz.questions.find((q) => q.id === src.id)!;
      const expected = oracle(src.answer);
      switch (compiled.type) {
        case 'numeric':
          expect(compiled.correct, src.id).toBe(expected);
          break;
        case 'single-choice': {
          // the correct choice is the one whose authored value is the engine's answer
          const choice = (src as Extract<QuestionSource, { type: 'single-choice' }>).choices.find(
            (c) => String(c.value) === String(expected),
          );
          expect(choice, `${src.id}: a choice with value ${String(expected)}`).toBeDefined();
          expect(compiled.correct, src.id).toBe(choice!.id ?? String(choice!.value));
          break;
        }
        case 'multi-select':
          expect([...compiled.correct].sort(), src.id).toEqual([...(expected as string[])].sort());
          break;
        default:
          throw new Error(`${src.id}: unexpected computable type ${compiled.type}`);
      }
      // the explanation shows the computed answer
      if (!Array.isArray(expected)) expect(compiled.explanationHtml, src.id).toContain(expected.toLocaleString('en-US'));
    }
  });

  it('every question about a key hash gives the learner the hash, computed by the engine (murmur2 is not mental arithmetic)', () => {
    const hashed = ['partitionForKey', 'keysThatMove', 'keysOnPartition'];
    for (const src of source.questions) {
      const query = 'answer' in src ? (src.answer as Record<string, unknown> | undefined) : undefined;
      if (!query) continue;
      const keys = (query.keys as string[] | undefined) ?? (query.key !== undefined ? [query.key as string] : []);
      const needsHash = hashed.includes(query.engine as string) || (query.engine === 'toPositive' && query.key !== undefined);
      if (!needsHash) continue;
      const compiled = quiz.questions.find((q) => q.id === src.id)!;
      expect(compiled.given, `${src.id}: add "given: murmur2" or "given: toPositive"`).toBeDefined();
      // one line per key, with the engine's own number, computed here without the query vocabulary
      expect(compiled.given!.length, src.id).toBe(keys.length);
      keys.forEach((k, i) => {
        const h = murmur2(utf8(k));
        expect(compiled.given![i], src.id).toBe(
          'given' in src && src.given === 'murmur2' ? `murmur2("${k}") = ${h}` : `toPositive(murmur2("${k}")) = ${toPositive(h)}`,
        );
      });
    }
  });

  it('conceptual questions name existing choices; order-steps are shown shuffled', () => {
    for (const q of quiz.questions) {
      if (q.type === 'order-steps') {
        expect(q.steps.map((s) => s.id)).not.toEqual(q.correct);
        expect([...q.steps.map((s) => s.id)].sort()).toEqual([...q.correct].sort());
        expect(isCorrect(q, q.correct)).toBe(true);
        expect(
          isCorrect(
            q,
            q.steps.map((s) => s.id),
          ),
        ).toBe(false);
      }
      if (q.type === 'single-choice') expect(q.choices.map((c) => c.id)).toContain(q.correct);
      if (q.type === 'multi-select') for (const id of q.correct) expect(q.choices.map((c) => c.id)).toContain(id);
      if (q.type === 'best-fit') {
        expect(q.options.map((o) => o.id)).toContain(q.correct);
        for (const o of q.options) expect(o.explanationHtml.length, `${q.id}/${o.id} explains itself`).toBeGreaterThan(40);
      }
      if (q.type === 'recall') {
        expect(q.points.length).toBeGreaterThanOrEqual(3);
        expect(q.explanationHtml, `${q.id}: a model answer`).toMatch(/^<p>/);
      }
    }
  });
});

describe('the lesson 01 quiz covers what issue 2 asks', () => {
  const source = quizSourceSchema.parse(parseYaml(readFileSync(resolve(ROOT, 'content/quizzes/01-keys-and-partitions.yaml'), 'utf8')));
  it('at least 6 questions, mixing single-choice, multi-select, numeric, order-steps, best-fit and recall', () => {
    expect(source.questions.length).toBeGreaterThanOrEqual(6);
    expect(new Set(source.questions.map((q) => q.type))).toEqual(
      new Set(['single-choice', 'multi-select', 'numeric', 'order-steps', 'best-fit', 'recall']),
    );
  });
  it('asks where order-456 goes with 6 partitions, and which keys move from 6 to 12', () => {
    const answers = source.questions.map((q) => ('answer' in q ? q.answer : undefined));
    expect(answers).toContainEqual({ engine: 'partitionForKey', key: 'order-456', numPartitions: 6 });
    expect(answers.some((a) => a?.engine === 'keysThatMove' && a.from === 6 && a.to === 12)).toBe(true);
  });
});

describe('broken quizzes: file, field, received, expected', () => {
  it('unknown engine query', () => {
    const message = brokenQuizMessage(numeric('{ engine: partitionFor, key: order-456, numPartitions: 6 }'));
    expect(message).toContain('content/quizzes/broken.yaml');
    expect(message).toContain('questions.0.answer.engine');
    expect(message).toContain('received "partitionFor"');
    expect(message).toContain('expected one of "murmur2", "toPositive", "partitionForKey", "keysThatMove", "keysOnPartition"');
  });

  it('engine query field of the wrong type', () => {
    const message = brokenQuizMessage(numeric('{ engine: partitionForKey, key: order-456, numPartitions: six }'));
    expect(message).toContain('questions.0.answer.numPartitions: received "six" (a string); expected a number');
  });

  it('engine query field missing', () => {
    const message = brokenQuizMessage(numeric('{ engine: partitionForKey, key: order-456 }'));
    expect(message).toContain('questions.0.answer.numPartitions: received nothing (the field is missing); expected a number');
  });

  it('misspelt field', () => {
    const message = brokenQuizMessage(
      numeric('{ engine: partitionForKey, key: order-456, numPartitions: 6 }').replace('explanation:', 'explaination:'),
    );
    expect(message).toContain('questions.0: received unknown field "explaination"');
    expect(message).toContain('questions.0.explanation: received nothing (the field is missing); expected a string');
  });

  it('unknown question type', () => {
    const message = brokenQuizMessage(
      numeric('{ engine: partitionForKey, key: k, numPartitions: 6 }').replace('type: numeric', 'type: free-text'),
    );
    expect(message).toContain(
      'questions.0.type: received "free-text" (a string); expected one of "single-choice", "multi-select", "numeric", "order-steps", "best-fit", "recall"',
    );
  });

  it('a query returning keys for a numeric question', () => {
    const message = brokenQuizMessage(numeric('{ engine: keysThatMove, keys: [a, b], from: 6, to: 12 }'));
    expect(message).toContain(
      'questions.0.answer.engine: received "keysThatMove", which returns a list of keys; expected a query returning a number',
    );
  });

  it('a "given" that is the answer itself, and one on a question without a key', () => {
    expect(
      brokenQuizMessage(numeric('{ engine: toPositive, key: k }').replace('    answer:', '    given: toPositive\n    answer:')),
    ).toContain('questions.0.given: received "toPositive" for a toPositive question; expected a fact that is not the answer itself');
    expect(brokenQuizMessage(numeric('{ engine: toPositive, n: -5 }').replace('    answer:', '    given: murmur2\n    answer:'))).toContain(
      'questions.0.given: received "murmur2" for a toPositive query that names no key',
    );
  });

  it('an unknown placeholder in the explanation', () => {
    const message = brokenQuizMessage(numeric('{ engine: partitionForKey, key: k, numPartitions: 6 }').replace('{answer}', '{anwser}'));
    expect(message).toContain('questions.0.explanation: received the placeholder "{anwser}"; expected one of');
    expect(message).toContain('{answer}');
    expect(message).toContain('{murmur2}');
  });

  it('single-choice whose choices do not contain the engine’s answer', () => {
    // choices 10 and 11 cannot be a partition of a 6-partition topic
    const message = brokenQuizMessage(`
questions:
  - id: q1
    type: single-choice
    prompt: Which partition?
    choices: [{ text: ten, value: 10 }, { text: eleven, value: 11 }]
    answer: { engine: partitionForKey, key: order-456, numPartitions: 6 }
    explanation: It is {answer}.
`);
    expect(message).toContain('questions.0.choices: received 0 choices whose value is the engine');
    expect(message).toContain('expected exactly one');
  });

  it('single-choice with both correct and answer', () => {
    const message = brokenQuizMessage(`
questions:
  - id: q1
    type: single-choice
    prompt: Which?
    choices: [{ id: a, text: A }, { id: b, text: B }]
    correct: a
    answer: { engine: murmur2, key: x }
    explanation: Because.
`);
    expect(message).toContain('questions.0: received both "correct" and "answer"; expected exactly one');
  });

  it('not YAML at all', () => {
    const message = brokenQuizMessage('questions: [\n  - id: q1\n');
    expect(message).toMatch(/broken\.yaml has 1 problem:\n {2}- \(top level\): received text that is not valid YAML at line \d+/);
  });

  it('a non-kebab question id', () => {
    const message = brokenQuizMessage(numeric('{ engine: partitionForKey, key: k, numPartitions: 6 }').replace('id: q1', 'id: Q_1'));
    expect(message).toContain('questions.0.id: received "Q_1" (a string); expected a kebab-case id');
  });

  it('two questions with the same id', () => {
    const one = numeric('{ engine: partitionForKey, key: k, numPartitions: 6 }').split('\n').slice(2).join('\n');
    const message = brokenQuizMessage(`questions:\n${one}\n${one}`);
    expect(message).toContain('questions: received the id "q1" twice; expected distinct ids');
  });
});

describe('deterministic shuffle of order-steps', () => {
  it('same seed, same order; never the authored order', () => {
    const steps = ['a', 'b', 'c', 'd', 'e'];
    expect(deterministicShuffle(steps, 'quiz/q')).toEqual(deterministicShuffle(steps, 'quiz/q'));
    for (let i = 0; i < 200; i++)
      expect(deterministicShuffle(steps.slice(0, 2 + (i % 4)), `seed-${i}`)).not.toEqual(steps.slice(0, 2 + (i % 4)));
  });
});

describe('lesson frontmatter', () => {
  const valid = { title: 'T', order: 1, summary: 'S', objectives: ['O'] };

  it.each(lessonFiles)('content/lessons/%s: valid, and its quiz and checkpoint exist', (name) => {
    const text = readFileSync(resolve(ROOT, 'content/lessons', name), 'utf8');
    const data = parseYaml(/^---\n([\s\S]*?)\n---/.exec(text)![1]);
    const parsed = friendlyParse(lessonSchema, data);
    if (!parsed.success) throw new Error(formatIssues(`content/lessons/${name}`, parsed.issues));
    const issues = lessonReferenceIssues(parsed.data, (q) => quizFiles.includes(`${q}.yaml`), new Set(Object.keys(exercises)));
    expect(issues).toEqual([]);
  });

  it('order given as a word: field, received, expected', () => {
    const parsed = friendlyParse(lessonSchema, { ...valid, order: 'first' });
    expect(parsed.success).toBe(false);
    if (!parsed.success) {
      expect(formatIssues('content/lessons/01-x.mdx', parsed.issues)).toBe(
        'content/lessons/01-x.mdx has 1 problem:\n  - order: received "first" (a string); expected a number',
      );
    }
  });

  it('missing objectives, empty title, fractional order', () => {
    const parsed = friendlyParse(lessonSchema, { title: '', order: 1.5, summary: 'S' });
    expect(parsed.success).toBe(false);
    if (!parsed.success) {
      const messages = Object.fromEntries(parsed.issues.map((i) => [i.path, i.message]));
      expect(messages.title).toBe('received "" (a string); expected a non-empty string');
      expect(messages.order).toBe('received 1.5 (a number); expected an integer');
      expect(messages.objectives).toBe('received nothing (the field is missing); expected a list');
    }
  });

  it('a quiz file and a checkpoint that do not exist', () => {
    const issues = lessonReferenceIssues(
      { ...valid, quiz: 'nope', checkpoint: 'key-to-partitions' },
      () => false,
      new Set(['key-to-partition']),
    );
    expect(issues).toEqual([
      { path: 'quiz', message: 'received "nope"; expected the id of a quiz file, but content/quizzes/nope.yaml does not exist' },
      {
        path: 'checkpoint',
        message: 'received "key-to-partitions"; expected an exercise id registered in exercises/index.ts: "key-to-partition"',
      },
    ]);
  });
});

describe('best-fit and recall: broken author input names the file and the field', () => {
  const bestFit = (options: string, extra = '') => `
questions:
  - id: pick-the-move
    type: best-fit
    prompt: A keyed topic lags. Pick the move.
    options:
${options}${extra}
`;
  const option = (id: string, best = false, explanation: string | null = `Why ${id} fits or not.`) =>
    `      - id: ${id}\n        text: Design ${id}\n${best ? '        best: true\n' : ''}${explanation === null ? '' : `        explanation: ${explanation}\n`}`;

  it('compiles a valid best-fit: options in order, the best one is the answer, each with its explanation', () => {
    const quiz = parseQuizFile(
      'content/quizzes/ok.yaml',
      bestFit(option('a') + option('b', true) + option('c'), '    explanation: The takeaway.'),
    );
    const q = quiz.questions[0];
    expect(q.type).toBe('best-fit');
    if (q.type !== 'best-fit') return;
    expect(q.options.map((o) => o.id)).toEqual(['a', 'b', 'c']);
    expect(q.correct).toBe('b');
    expect(q.options.map((o) => o.explanationHtml)).toEqual(['Why a fits or not.', 'Why b fits or not.', 'Why c fits or not.']);
    expect(q.explanationHtml).toBe('The takeaway.');
    expect(isCorrect(q, 'b')).toBe(true);
    expect(isCorrect(q, 'a')).toBe(false);
  });

  it('no option marked best', () => {
    const message = brokenQuizMessage(bestFit(option('a') + option('b') + option('c')));
    expect(message).toContain('content/quizzes/broken.yaml has 1 problem');
    expect(message).toContain('questions.0.options: received 0 options with "best: true"; expected exactly one');
  });

  it('two options marked best', () => {
    const message = brokenQuizMessage(bestFit(option('a', true) + option('b', true) + option('c')));
    expect(message).toContain('questions.0.options: received 2 options with "best: true" ("a", "b"); expected exactly one');
  });

  it('an option without its explanation', () => {
    const message = brokenQuizMessage(bestFit(option('a', true) + option('b', false, null) + option('c')));
    expect(message).toContain('questions.0.options.1.explanation: received nothing (the field is missing); expected a string');
  });

  it('too few and too many options', () => {
    expect(brokenQuizMessage(bestFit(option('a', true) + option('b')))).toContain('questions.0.options: received');
    expect(brokenQuizMessage(bestFit(option('a', true) + option('b')))).toContain('expected a list of at least 3 items');
    expect(brokenQuizMessage(bestFit(option('a', true) + option('b') + option('c') + option('d') + option('e')))).toContain(
      'expected a list of at most 4 items',
    );
  });

  it('a misspelt field on an option, and "correct" (the single-choice field) on a best-fit question', () => {
    expect(brokenQuizMessage(bestFit(option('a', true).replace('explanation:', 'explanaton:') + option('b') + option('c')))).toContain(
      'questions.0.options.0: received unknown field "explanaton"',
    );
    expect(brokenQuizMessage(bestFit(option('a', true) + option('b') + option('c'), '    correct: a'))).toContain(
      'questions.0: received unknown field "correct"',
    );
  });

  const recall = (points: string, extra = '') => `
questions:
  - id: explain-it
    type: recall
    prompt: Explain it in your own words.
    modelAnswer: |-
      First paragraph with \`code\`.

      Second paragraph.
    points:
${points}${extra}
`;
  const points = (n: number) => Array.from({ length: n }, (_, i) => `      - Point number ${i + 1}\n`).join('');

  it('compiles a valid recall question: model answer in paragraphs, key points with ids', () => {
    const q = parseQuizFile('content/quizzes/ok.yaml', recall(points(3))).questions[0];
    expect(q.type).toBe('recall');
    if (q.type !== 'recall') return;
    expect(q.explanationHtml).toBe('<p>First paragraph with <code>code</code>.</p><p>Second paragraph.</p>');
    expect(q.points.map((p) => p.id)).toEqual(['point-number-1', 'point-number-2', 'point-number-3']);
  });

  it('fewer than 3 or more than 6 key points', () => {
    expect(brokenQuizMessage(recall(points(2)))).toContain('questions.0.points: received');
    expect(brokenQuizMessage(recall(points(2)))).toContain('expected a list of at least 3 items');
    expect(brokenQuizMessage(recall(points(7)))).toContain('questions.0.points: received');
    expect(brokenQuizMessage(recall(points(7)))).toContain('expected a list of at most 6 items');
  });

  it('no model answer', () => {
    const message = brokenQuizMessage(recall(points(3)).replace(/ {4}modelAnswer: \|-\n(?: {6}.*\n|\n)*/, ''));
    expect(message).toContain('questions.0.modelAnswer: received nothing (the field is missing); expected a string');
  });

  it('an explanation on a recall question (the model answer is the explanation)', () => {
    expect(brokenQuizMessage(recall(points(3), '    explanation: Because.'))).toContain(
      'questions.0: received unknown field "explanation"',
    );
  });

  it('two key points with the same id', () => {
    expect(brokenQuizMessage(recall('      - Same point\n      - Same point\n      - Another point\n'))).toContain(
      'questions.0.points: received the id "same-point" twice; expected distinct ids',
    );
  });
});
