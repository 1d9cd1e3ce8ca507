/**
 * Near-miss suggestions for unknown fields (content/schema/friendly-errors.ts): Kafka's dotted config names
 * (ConsumerConfig / CommonClientConfigs `session.timeout.ms`, TopicConfig `min.insync.replicas`) point to the
 * camelCase field; misspellings within a few letters point to the field meant; anything else gets no guess.
 */
import { describe, expect, it } from 'vitest';
import { camelCaseConfigName, fieldSuggestion } from './friendly-errors.ts';
import { parseScenario } from './scenario.ts';

describe('field suggestions', () => {
  it("Kafka's dotted names in camelCase, units kept", () => {
    expect(camelCaseConfigName('session.timeout.ms')).toBe('sessionTimeoutMs');
    expect(camelCaseConfigName('min.insync.replicas')).toBe('minInsyncReplicas');
    expect(camelCaseConfigName('max.in.flight.requests.per.connection')).toBe('maxInFlightRequestsPerConnection');
  });

  it('suggests the camelCase field for a dotted name, the nearest field for a misspelling, nothing for a stranger', () => {
    const consumerFields = ['groupInstanceId', 'enableAutoCommit', 'sessionTimeoutMs', 'maxPollRecords'];
    expect(fieldSuggestion('enable.auto.commit', consumerFields)).toBe(
      'write "enableAutoCommit" for Kafka\'s enable.auto.commit (config names are camelCase here, with the unit kept)',
    );
    expect(fieldSuggestion('maxPollRecord', consumerFields)).toBe('did you mean "maxPollRecords"?');
    expect(fieldSuggestion('fetch.min.bytes', consumerFields)).toBeNull();
    expect(fieldSuggestion('colour', consumerFields)).toBeNull();
  });

  it("a group's bare `protocol` (renamed to Kafka's names) points to groupProtocol and rebalanceProtocol", () => {
    const scenario = {
      id: 'x',
      title: 'x',
      summary: 'x',
      seed: 1,
      brokers: 1,
      topics: [{ name: 't0', partitions: 1 }],
      groups: [{ id: 'g1', assignor: 'range', protocol: 'consumer' }],
      steps: [{ note: 'x' }],
    };
    expect(() => parseScenario(scenario, 'content/scenarios/x.yaml')).toThrow(
      /groups\[0\]: received unknown field "protocol".* did you mean "rebalanceProtocol" or "groupProtocol"\?/,
    );
    const dotted = { ...scenario, groups: [{ id: 'g1', assignor: 'range', 'group.protocol': 'consumer' }] };
    expect(() => parseScenario(dotted, 'content/scenarios/x.yaml')).toThrow(/write "groupProtocol" for Kafka's group\.protocol/);
  });

  it('a topic config written as min.insync.replicas names minInsyncReplicas in the build error', () => {
    const scenario = {
      id: 'x',
      title: 'x',
      summary: 'x',
      seed: 1,
      brokers: 3,
      topics: [{ name: 't0', partitions: 1, replicationFactor: 3, configs: { 'min.insync.replicas': 2 } }],
      steps: [{ note: 'x' }],
    };
    expect(() => parseScenario(scenario, 'content/scenarios/x.yaml')).toThrow(
      /topics\[0\]\.configs: received unknown field "min\.insync\.replicas".* write "minInsyncReplicas" for Kafka's min\.insync\.replicas/,
    );
  });
});
