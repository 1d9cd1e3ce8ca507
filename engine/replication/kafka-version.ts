/**
 * Kafka versions whose replication rules differ, and what each one does.
 *
 * The rules that changed:
 * 1. Strict min ISR (KAFKA-15583, Kafka 3.7): the leader does not advance the high watermark while
 *    the ISR is smaller than min.insync.replicas (Partition.maybeIncrementLeaderHW returns early when
 *    isUnderMinIsr). Before 3.7 the HW followed the ISR down to the leader alone, so an acks=all
 *    request appended before the ISR shrank was answered NOT_ENOUGH_REPLICAS_AFTER_APPEND; since
 *    3.7 it stays below the HW and times out (REQUEST_TIMED_OUT).
 * 2. Eligible leader replicas (KIP-966): the `eligible.leader.replicas.version` feature
 *    (EligibleLeaderReplicasVersion.ELRV_1) needs metadata version 4.0-IV1 and is on by default for
 *    clusters bootstrapped at 4.1 or later (bootstrapMetadataVersion IBP_4_1_IV0). Before 4.0 there
 *    is no ELR at all.
 *
 * Example: kafkaVersionRules('3.6') → { strictMinIsr: false, eligibleLeaderReplicasDefault: false,
 * eligibleLeaderReplicasSupported: false }; kafkaVersionRules('4.1') → all true.
 *
 * Note: these are the replication rules only; everything else in the engine follows the newest Kafka.
 * Source: Kafka's Partition.scala (maybeIncrementLeaderHW), KAFKA-15583 (fixed in 3.7.0),
 * server-common EligibleLeaderReplicasVersion, KIP-966.
 */

/** The Kafka versions a scenario or cluster can run as (`kafkaVersion`), oldest first. */
export const KAFKA_VERSIONS = ['3.6', '3.7', '3.8', '3.9', '4.0', '4.1', '4.2', '4.3', '4.4'] as const;

/** A Kafka version, major.minor. */
export type KafkaVersion = (typeof KAFKA_VERSIONS)[number];

/** The newest Kafka release this engine models (Kafka trunk moved to 4.5.0-SNAPSHOT in August 2026). */
export const LATEST_KAFKA_VERSION: KafkaVersion = '4.4';

/** The replication rules of one Kafka version. */
export interface KafkaVersionRules {
  /** KAFKA-15583 (3.7+): no high-watermark advance while the ISR is below min.insync.replicas */
  strictMinIsr: boolean;
  /** KIP-966 can be enabled (4.0+: eligible.leader.replicas.version=1 needs metadata version 4.0-IV1) */
  eligibleLeaderReplicasSupported: boolean;
  /** KIP-966 is on by default for a new cluster (4.1+) */
  eligibleLeaderReplicasDefault: boolean;
}

/** Is `v` one of {@link KAFKA_VERSIONS}? */
export function isKafkaVersion(v: unknown): v is KafkaVersion {
  return typeof v === 'string' && (KAFKA_VERSIONS as readonly string[]).includes(v);
}

/**
 * The replication rules of a Kafka version.
 * @throws RangeError when the version is not one of {@link KAFKA_VERSIONS}
 */
export function kafkaVersionRules(version: KafkaVersion): KafkaVersionRules {
  if (!isKafkaVersion(version)) {
    throw new RangeError(`Expected kafkaVersion to be one of ${KAFKA_VERSIONS.join(', ')}, got ${JSON.stringify(version)}`);
  }
  const at = (v: KafkaVersion) => KAFKA_VERSIONS.indexOf(version) >= KAFKA_VERSIONS.indexOf(v);
  return { strictMinIsr: at('3.7'), eligibleLeaderReplicasSupported: at('4.0'), eligibleLeaderReplicasDefault: at('4.1') };
}
