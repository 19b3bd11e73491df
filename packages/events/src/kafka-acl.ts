import { CATALOGUE } from './catalogue';
import { dlqTopic, type EventDefinition } from './event-definition';

/** Partner agencies: public events only, in consumer groups named `partner-…`. */
export const PARTNER_PRINCIPAL = 'partner';
export const PARTNER_GROUP_PREFIX = 'partner-';
/** People operating the system (`pnpm dlq` replays dead letters to their original topics): everything. */
export const OPERATOR_PRINCIPAL = 'operator';

/**
 * One allow rule, in the development broker's format (`--security-config`); docker-compose gets the same rules as
 * kafka-acls.sh commands (`kafkaAclCommands`). What no rule allows is refused.
 */
export interface KafkaAclRule {
  principal: string;
  operation: 'READ' | 'WRITE';
  /** One topic, or "*" for every topic. */
  topic?: string;
  /** Consumer groups whose id starts with this (READ = join, commit and fetch offsets). */
  groupPrefix?: string;
}

/**
 * Services that consume events but produce none: no catalogue entry names them, yet they log in as themselves, read
 * and dead-letter like any other service.
 */
export const CONSUMER_ONLY_SERVICES: readonly string[] = ['notifications'];

/** Every service: each producer in the catalogue and each consumer-only service; one Kafka principal each. */
export function servicePrincipals(catalogue: readonly EventDefinition[] = CATALOGUE): string[] {
  return [...new Set([...catalogue.map((definition) => definition.producer), ...CONSUMER_ONLY_SERVICES])].sort();
}

/** Every principal the ACLs name: the services, the partner and the operator. */
export function kafkaPrincipals(catalogue: readonly EventDefinition[] = CATALOGUE): string[] {
  return [...servicePrincipals(catalogue), PARTNER_PRINCIPAL, OPERATOR_PRINCIPAL];
}

/**
 * The Kafka ACLs, derived from the event catalogue so that a new event is covered the moment it is declared:
 *
 * - a service writes only the topics of the events it produces — nobody else can publish
 *   `organizations.member.promoted` — plus the dead-letter topic of every topic it may consume (a dead letter is
 *   replayed only by an operator who has looked at it: `pnpm dlq`);
 * - a service reads every catalogue topic (its handlers, which decide what it really consumes, exist only inside
 *   its process; reading is not the threat — forging is) and uses the consumer groups named after it;
 * - the partner reads public topics only, in `partner-…` groups, and writes nothing;
 * - the operator reads and writes every topic and group.
 */
export function kafkaAcls(catalogue: readonly EventDefinition[] = CATALOGUE): KafkaAclRule[] {
  const topics = [...new Set(catalogue.map((definition) => definition.topic))].sort();
  const rules: KafkaAclRule[] = [];
  for (const service of servicePrincipals(catalogue)) {
    const produced = new Set(catalogue.filter((d) => d.producer === service).map((d) => d.topic));
    for (const topic of [...produced].sort()) rules.push({ principal: service, operation: 'WRITE', topic });
    for (const topic of topics) rules.push({ principal: service, operation: 'WRITE', topic: dlqTopic(topic) });
    for (const topic of topics) rules.push({ principal: service, operation: 'READ', topic });
    rules.push({ principal: service, operation: 'READ', groupPrefix: service });
  }
  const publicTopics = [...new Set(catalogue.filter((d) => d.visibility === 'public').map((d) => d.topic))].sort();
  for (const topic of publicTopics) rules.push({ principal: PARTNER_PRINCIPAL, operation: 'READ', topic });
  rules.push({ principal: PARTNER_PRINCIPAL, operation: 'READ', groupPrefix: PARTNER_GROUP_PREFIX });
  rules.push(
    { principal: OPERATOR_PRINCIPAL, operation: 'READ', topic: '*' },
    { principal: OPERATOR_PRINCIPAL, operation: 'WRITE', topic: '*' },
    { principal: OPERATOR_PRINCIPAL, operation: 'READ', groupPrefix: '' },
  );
  return rules;
}

/**
 * Every topic the ACLs refer to (events and their dead-letter topics). Real Kafka lets a client auto-create a topic
 * only with CREATE permission, which no service has: production creates them all up front.
 */
export function kafkaTopics(catalogue: readonly EventDefinition[] = CATALOGUE): string[] {
  const topics = [...new Set(catalogue.map((definition) => definition.topic))].sort();
  return [...topics, ...topics.map(dlqTopic)];
}

const shellQuote = (value: string): string => `'${value.replace(/'/g, `'\\''`)}'`;

/**
 * The same rules as `kafka-acls.sh` commands for Apache Kafka, one command per principal and kind of rule (the tool
 * takes many `--topic`s at once; each run starts a JVM). READ and WRITE each come with DESCRIBE, which Kafka needs
 * for Metadata; a service's WRITE also gets CREATE, so that its producer may create a topic the init step missed.
 * The operator's empty group prefix is Kafka's literal "*" group.
 */
export function kafkaAclCommands(
  rules: readonly KafkaAclRule[],
  connection = '--bootstrap-server "$KAFKA_BOOTSTRAP" --command-config "$KAFKA_ADMIN_CONFIG"',
): string[] {
  const batches = new Map<string, { principal: string; options: string; resources: string[] }>();
  for (const rule of rules) {
    const isGroup = rule.groupPrefix !== undefined;
    const options = isGroup
      ? rule.groupPrefix === ''
        ? '--operation Read --operation Describe'
        : '--operation Read --operation Describe --resource-pattern-type prefixed'
      : rule.operation === 'WRITE'
        ? '--operation Write --operation Create --operation Describe'
        : '--operation Read --operation Describe';
    const resource = isGroup
      ? `--group ${shellQuote(rule.groupPrefix === '' ? '*' : (rule.groupPrefix ?? ''))}`
      : `--topic ${shellQuote(rule.topic ?? '*')}`;
    const key = `${rule.principal}\u0000${options}\u0000${isGroup ? 'group' : 'topic'}`;
    const batch = batches.get(key) ?? { principal: rule.principal, options, resources: [] };
    batch.resources.push(resource);
    batches.set(key, batch);
  }
  const lineBreak = ' \\\n  ';
  return [...batches.values()].map(
    ({ principal, options, resources }) =>
      `kafka-acls.sh ${connection} --add --allow-principal ${shellQuote(`User:${principal}`)} ${options}` +
      `${lineBreak}${resources.join(lineBreak)}`,
  );
}
