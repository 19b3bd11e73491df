import {
  CATALOGUE,
  dlqTopic,
  kafkaAclCommands,
  kafkaAcls,
  kafkaPrincipals,
  MemberPromoted,
  OPERATOR_PRINCIPAL,
  PARTNER_PRINCIPAL,
  type KafkaAclRule,
} from '../src';

/** Who may do `operation` on `topic` under the derived rules (the development broker's matching, literal topics). */
function principalsAllowed(rules: KafkaAclRule[], operation: 'READ' | 'WRITE', topic: string): string[] {
  return rules
    .filter((rule) => rule.operation === operation && (rule.topic === topic || rule.topic === '*'))
    .map((rule) => rule.principal)
    .sort();
}

describe('Kafka ACLs derived from the event catalogue', () => {
  const rules = kafkaAcls();

  it('only organizations (and the operator) may publish organizations.member.promoted', () => {
    expect(principalsAllowed(rules, 'WRITE', MemberPromoted.topic)).toEqual(
      [OPERATOR_PRINCIPAL, 'organizations'].sort(),
    );
  });

  it('every event topic is writable by exactly its declared producer and the operator', () => {
    for (const definition of CATALOGUE) {
      expect(principalsAllowed(rules, 'WRITE', definition.topic)).toEqual(
        [OPERATOR_PRINCIPAL, definition.producer].sort(),
      );
    }
  });

  it('every service may dead-letter what it reads; the partner writes nothing', () => {
    const services = kafkaPrincipals().filter((p) => p !== PARTNER_PRINCIPAL && p !== OPERATOR_PRINCIPAL);
    for (const definition of CATALOGUE) {
      expect(principalsAllowed(rules, 'WRITE', dlqTopic(definition.topic))).toEqual(
        [...services, OPERATOR_PRINCIPAL].sort(),
      );
    }
    expect(rules.filter((rule) => rule.principal === PARTNER_PRINCIPAL && rule.operation === 'WRITE')).toEqual([]);
  });

  it('notifications, which publishes nothing, reads every topic in its own groups and writes only dead letters', () => {
    const granted = rules.filter((rule) => rule.principal === 'notifications');
    for (const definition of CATALOGUE)
      expect(principalsAllowed(rules, 'READ', definition.topic)).toContain('notifications');
    expect(granted.filter((rule) => rule.operation === 'WRITE').every((rule) => rule.topic?.endsWith('.dlq'))).toBe(
      true,
    );
    expect(granted.filter((rule) => rule.groupPrefix !== undefined)).toEqual([
      { principal: 'notifications', operation: 'READ', groupPrefix: 'notifications' },
    ]);
  });

  it('the partner reads public topics only, in partner- groups', () => {
    for (const definition of CATALOGUE) {
      expect(principalsAllowed(rules, 'READ', definition.topic).includes(PARTNER_PRINCIPAL)).toBe(
        definition.visibility === 'public',
      );
    }
    expect(rules.filter((rule) => rule.principal === PARTNER_PRINCIPAL && rule.groupPrefix !== undefined)).toEqual([
      { principal: PARTNER_PRINCIPAL, operation: 'READ', groupPrefix: 'partner-' },
    ]);
  });

  it('kafka-acls.sh commands grant exactly the derived topics, per principal', () => {
    const commands = kafkaAclCommands(rules);
    const writeCommand = commands.find(
      (command) => command.includes("'User:volunteering'") && command.includes('--operation Write'),
    );
    expect(writeCommand).toBeDefined();
    expect(writeCommand).not.toContain(`--topic '${MemberPromoted.topic}' `);
    expect(writeCommand).toContain(`--topic '${dlqTopic(MemberPromoted.topic)}'`);
    const topicsGranted = commands.join('\n').match(/--topic '[^']+'/g) ?? [];
    expect(topicsGranted).toHaveLength(rules.filter((rule) => rule.topic !== undefined).length);
  });
});
