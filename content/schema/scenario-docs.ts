/**
 * The description of every scenario field, step kind and story-check kind, read from the engine's own
 * docstrings (engine/scenario/authoring.ts, engine/scenario/check-types.ts) with the TypeScript compiler API —
 * so the reference in content/AUTHORING.md and the studio's hovers say what the engine's types say.
 * Node only (build time, scripts and tests).
 *
 * Kinds are described by the list in the union's docstring (`- produce: …`, `- crash / restart: …`); a
 * body type with its own docstring (ProduceStep) adds it. Fields declared without a docstring (inline
 * step bodies) take their note from FIELD_NOTES below, else none.
 */
import ts from 'typescript';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { FieldDocs, JsonSchema } from './scenario-reference.ts';

/** Notes for fields whose engine type has no docstring (inline step bodies). Keyed by the author's path. */
const FIELD_NOTES: Record<string, string> = {
  title: 'the title shown above the player and in the scenario list',
  topics: 'the topics, created at time 0',
  producers: 'producer clients (KafkaProducer); each id, e.g. "P0", is also its client.id',
  groups: 'consumer groups (group.id) and the assignor their members use',
  consumers: 'consumer clients (KafkaConsumer), each in one group; not running until a join or poll step',
  'groups[].id': 'the group.id',
  'producers[].id': 'its name in lessons and traces, e.g. "P0"',
  'producers[].config': "the producer's configs, Kafka's names in camelCase with units",
  'consumers[].config': "the consumer's configs, Kafka's names in camelCase with units",
  'steps.produce.key':
    'the record key; null or absent = keyless (the partitioner spreads keyless records). With `count`, a template: `{i}`, `{i%N}`',
  'steps.produce.value': 'the record value; null = a tombstone (on a compacted topic, a delete). With `count`, a template',
  'steps.produce.partition': 'an explicit partition (the partitioner is skipped)',
  'steps.produce.records': 'several records at once, each `{ key?, value, partition? }`',
  'steps.commit.consumer': 'the consumer that commits',
  'steps.commit.mode': 'commitSync() or commitAsync(); default "sync"',
  'steps.commit.offsets':
    'an explicit offset map keyed by Kafka\'s TopicPartition.toString(), `"t0-1": 5`: each value is the next offset to read; default every owned partition\'s position',
  'steps.commit.failAfterMs': 'async only: the request fails and the callback hears of it this many ms later',
  'steps.commit.retry':
    'what the failed commitAsync\'s callback does: never (Kafka\'s advice), always, or if-latest (the sequence-number check); default "never"',
  'steps.poll.consumer': 'the consumer that polls; give neither consumer nor consumers for every running consumer',
  'steps.poll.consumers': 'several consumers, polled in the order given',
  'steps.process.consumer': 'the consumer whose received records are processed',
  'steps.process.count': 'how many of its received, unprocessed records (default all)',
  'steps.process.durationMs': 'processing blocks the poll loop this long, ms (max.poll.interval.ms); default 0',
  'steps.crash.consumer': 'the consumer whose process dies',
  'steps.restart.consumer': 'the crashed consumer that starts again',
  'steps.join.consumer': 'the consumer that subscribes and joins its group',
  'steps.leave.consumer': 'the consumer that calls close() (LeaveGroup if dynamic)',
  'steps.brokerDown.broker': 'the broker id that fails',
  'steps.brokerDown.diskLost': 'the broker also loses its disk (its replicas come back empty); default false',
  'steps.brokerUp.broker': 'the broker id that returns',
  'steps.advanceTime.ms': 'how far the simulated clock moves, ms',
  'steps.addPartitions.topic': 'the topic to grow',
  'steps.addPartitions.partitions': 'the new total partition count (partitions can only be added, never removed)',
  'steps.initTransactions.producer': 'a producer with a transactionalId',
  'steps.beginTransaction.producer': 'a producer with a transactionalId',
  'steps.commitTransaction.producer': 'a producer with a transactionalId',
  'steps.abortTransaction.producer': 'a producer with a transactionalId',
  'steps.sendOffsetsToTransaction.producer': 'the transactional producer',
  'steps.sendOffsetsToTransaction.consumer': 'the consumer whose positions (and group) go into the transaction',
  'steps.sendOffsetsToTransaction.offsets':
    'an explicit offset map, `"<topic>-<partition>": next offset`; default the consumer\'s positions',
  'checks.owns.consumer': 'the consumer',
  'checks.owns.partition': 'a partition it must own, as the player labels it (t0p2, orders-1)',
  'checks.owns.partitions': 'exactly the partitions it owns (any order)',
  'checks.owns.count': 'how many partitions it owns',
  'checks.members.consumers': 'exactly these members (any order)',
  'checks.members.count': 'how many members',
  'checks.generation.equals': 'the generationId',
  'checks.generation.sameAs': 'the same generationId as at this point (no rebalance in between)',
  'checks.generation.above': 'a greater generationId than at this point (a rebalance happened)',
  'checks.groupState.is': "the group's state",
  'checks.lag.partition': "one partition's lag (highWatermark − committed); default the group's total lag",
  'checks.committed.partition': 'the partition, as the player labels it',
  'checks.committed.none': 'nothing is committed yet',
  'checks.processed.value': 'records with this value',
  'checks.processed.key': 'records with this key',
  'checks.processed.consumer': 'processed by this consumer (default any)',
  'checks.processed.times': 'exactly this many times (0: never)',
  'checks.processed.atLeast': 'at least this many times; default 1',
  'checks.processedOnce.topic': 'only the records of this topic; default every topic',
  'checks.delivery.value': 'the value of the send',
  'checks.delivery.producer': 'the producer (default any)',
  'checks.delivery.status': "the send's final fate",
  'checks.inLog.partition': 'the partition, as the player labels it',
  'checks.inLog.value': 'a record with this value',
  'checks.inLog.key': 'a record with this key',
  'checks.inLog.present': 'false: the log must not hold it; default true',
  'checks.leader.partition': 'the partition, as the player labels it',
  'checks.leader.broker': 'the leader broker id; null: offline',
  'checks.isr.partition': 'the partition, as the player labels it',
  'checks.isr.brokers': 'exactly these in-sync replicas (any order)',
  'checks.error.includes': "text the step's client error must contain, e.g. CommitFailedException",
  'checks.highWatermark.partition': 'the partition, as the player labels it',
  'checks.highWatermark.sameAs': 'the same highWatermark as at this point (it stood still in between)',
  'checks.logStartOffset.partition': 'the partition, as the player labels it',
  'checks.elr.partition': 'the partition, as the player labels it',
  'checks.elr.brokers': 'exactly these eligible leader replicas (any order; [] for none)',
  'checks.memberEpoch.consumer': 'the consumer, a member of a consumer-protocol group',
  'checks.memberEpoch.equals': 'the memberEpoch (-2: a static member left and will be back; -1: left)',
  'checks.happened.includes': 'text one of the step\'s "what happened" lines must contain',
  'checks.memberEpoch.sameAs': 'the same memberEpoch as at this point',
  'checks.memberEpoch.above': 'a greater memberEpoch than at this point (a new assignment reached it)',
  'checks.shareRecord.group': 'the share group',
  'checks.shareRecord.partition': 'the partition, as the player labels it',
  'checks.shareRecord.offset': 'the record at this offset',
  'checks.shareRecord.value': 'the record with this value',
  'checks.shareRecord.key': 'the record with this key',
  'checks.shareRecord.state': "the record's state in the share partition",
  'checks.shareRecord.deliveryCount': 'how many times it has been acquired (delivered)',
};

/** Notes shared by many check kinds. */
const SHARED_CHECK_NOTES: Record<string, string> = {
  at: "when: `start`, N (after step N, the player's counter), or `end`; default `end`",
  group: 'the consumer group',
  equals: 'exactly this number',
  atLeast: 'at least this number',
  atMost: 'at most this number',
};

/** The project root: beside this file's folder, or (bundled into Astro's build output) the working directory, where builds run. */
const HERE = fileURLToPath(new URL('../../', import.meta.url));
const ROOT = existsSync(`${HERE}engine/scenario/authoring.ts`) ? HERE : `${process.cwd()}/`;

/** "default 45000 (KIP-735)" → "45000"; "default "all" (Kafka ≥ 3.0)" → "\"all\"" */
function defaultOf(text: string): string | undefined {
  const m =
    /\bdefault (?:is |to )?("[^"]*"|`[^`]*`|(?:-?\d(?:[\d_.]*\d)?|true|false|all|none)\b)/i.exec(text) ??
    /("[^"]*") \(default\)/.exec(text);
  return m ? m[1] : undefined;
}

/** The `- kind: text` list of a union's docstring, by kind (a `a / b:` line describes each). */
function kindList(doc: string): Map<string, string> {
  const out = new Map<string, string>();
  const items = doc.split(/\n(?=- )/).filter((l) => l.startsWith('- '));
  for (const item of items) {
    const m = /^- ([\w /]+): ([\s\S]*)$/.exec(item.replace(/\s*\n\s*/g, ' '));
    if (!m) continue;
    const [, names, rest] = m;
    // "join: subscribe and first poll (joins the group). leave: consumer.close() …" describes two kinds
    const parts = rest.split(/(?<=\.) (?=\w+: )/);
    for (const n of names.split(' / ')) out.set(n.trim(), parts[0].trim());
    for (const part of parts.slice(1)) {
      const pm = /^(\w+): (.*)$/.exec(part);
      if (pm) out.set(pm[1], pm[2].trim());
    }
  }
  return out;
}

/**
 * Every documented path: `topics[].configs.retentionMs`, `steps.produce`, `steps.produce.count`, `checks.owns.at`, …
 * @param schema the JSON Schema (scenarioJsonSchema()) whose fields to describe
 */
export function scenarioFieldDocs(schema: JsonSchema): FieldDocs {
  const files = ['engine/scenario/authoring.ts', 'engine/scenario/check-types.ts'].map((f) => ROOT + f);
  const program = ts.createProgram(files, {
    strict: true,
    noEmit: true,
    allowImportingTsExtensions: true,
    target: ts.ScriptTarget.ES2022,
    lib: ['lib.es2022.d.ts'],
    types: [],
  });
  const checker = program.getTypeChecker();
  const docs: FieldDocs = new Map();
  const text = (sym: ts.Symbol) => ts.displayPartsToString(sym.getDocumentationComment(checker)).trim();
  const put = (path: string, t: string, kind = false) => {
    if (t && !docs.has(path)) docs.set(path, { text: t, default: kind ? undefined : defaultOf(t) });
  };
  const exported = (file: string, name: string): ts.Symbol => {
    const sf = program.getSourceFile(ROOT + file)!;
    const mod = checker.getSymbolAtLocation(sf)!;
    return checker.getExportsOfModule(mod).find((s) => s.name === name)!;
  };
  const typeOf = (sym: ts.Symbol) => checker.getDeclaredTypeOfSymbol(sym);

  /** walk a TS type along the JSON Schema's properties */
  const walk = (type: ts.Type, node: JsonSchema, path: string) => {
    const t = checker.getNonNullableType(type);
    const candidates = t.isUnion() ? t.types : [t];
    for (const c of candidates) {
      if (checker.isArrayType(c)) {
        const el = checker.getTypeArguments(c as ts.TypeReference)[0];
        const items = node.items ?? node.anyOf?.find((b) => b.items)?.items;
        if (items) walk(el, items, `${path}[]`);
        continue;
      }
      for (const [name, child] of Object.entries(node.properties ?? {})) {
        const prop = checker.getPropertyOfType(c, name);
        if (!prop) continue;
        const p = path ? `${path}.${name}` : name;
        put(p, text(prop));
        const decl = prop.valueDeclaration ?? prop.declarations?.[0];
        if (decl) walk(checker.getTypeOfSymbolAtLocation(prop, decl), child, p);
      }
    }
  };

  const scenario = exported('engine/scenario/authoring.ts', 'Scenario');
  const props = { ...schema.properties! };
  delete props.steps;
  delete props.checks;
  walk(typeOf(scenario), { properties: props }, '');
  put('steps', text(checker.getPropertyOfType(typeOf(scenario), 'steps')!));
  put('checks', text(checker.getPropertyOfType(typeOf(scenario), 'checks')!));

  for (const [union, prefix] of [
    [exported('engine/scenario/authoring.ts', 'Step'), 'steps'],
    [exported('engine/scenario/check-types.ts', 'StoryCheck'), 'checks'],
  ] as const) {
    const list = kindList(text(union));
    const type = typeOf(union);
    const branches = schema.properties![prefix].items!.oneOf!;
    for (const branch of branches) {
      const kind = Object.keys(branch.properties!)[0];
      const member = (type.isUnion() ? type.types : [type]).find((m) => checker.getPropertyOfType(m, kind));
      const prop = member && checker.getPropertyOfType(member, kind);
      const body = prop && checker.getTypeOfSymbolAtLocation(prop, prop.valueDeclaration ?? prop.declarations![0]);
      const bodyDoc = body?.aliasSymbol ? text(body.aliasSymbol) : body?.getSymbol() ? text(body.getSymbol()!) : '';
      const own = list.get(kind) ?? '';
      put(`${prefix}.${kind}`, own.startsWith('see ') && bodyDoc ? bodyDoc : [own, bodyDoc].filter(Boolean).join(' '), true);
      if (body) walk(body, branch.properties![kind], `${prefix}.${kind}`);
    }
  }
  for (const [path, note] of Object.entries(FIELD_NOTES)) put(path, note);
  for (const branch of schema.properties!.checks.items!.oneOf!) {
    const kind = Object.keys(branch.properties!)[0];
    for (const field of Object.keys(branch.properties![kind].properties ?? {}))
      if (SHARED_CHECK_NOTES[field]) put(`checks.${kind}.${field}`, SHARED_CHECK_NOTES[field]);
  }
  return docs;
}
