import type { AclOperation, AclRule } from './security-config';

/** What one connection may do; the same questions Kafka's authorizer answers, for the operations we model. */
export interface Access {
  /** READ: Fetch, ListOffsets, offsets of a group. WRITE: Produce, CreateTopics, DeleteTopics. */
  topic(operation: AclOperation, topic: string): boolean;
  /** Kafka's DESCRIBE, implied by READ or WRITE: the topic appears in Metadata. */
  describeTopic(topic: string): boolean;
  /** Join, sync, heartbeat, leave, commit and fetch offsets of a consumer group. */
  group(groupId: string): boolean;
  /** Idempotent producers need a producer id; Kafka grants one to anyone who may write to some topic. */
  mayWriteSomewhere(): boolean;
}

/** The broker without a security config: everything is allowed, as before SASL existed. */
export const OPEN_ACCESS: Access = {
  topic: () => true,
  describeTopic: () => true,
  group: () => true,
  mayWriteSomewhere: () => true,
};

/** Before authentication nothing is allowed (the connection only gets as far as SASL anyway). */
export const NO_ACCESS: Access = {
  topic: () => false,
  describeTopic: () => false,
  group: () => false,
  mayWriteSomewhere: () => false,
};

/** A client may ask about any number of made-up topic names; the memo must not grow with them. */
const MAX_REMEMBERED_DECISIONS = 1024;

function matchesTopic(rule: AclRule, topic: string): boolean {
  if (rule.topic !== undefined) return rule.topic === '*' || rule.topic === topic;
  return rule.topicPrefix !== undefined && topic.startsWith(rule.topicPrefix);
}

/** Allow rules only: a principal may do what one of its rules allows, and nothing else. */
export class Authorizer {
  private readonly rulesByPrincipal = new Map<string, AclRule[]>();

  constructor(rules: readonly AclRule[]) {
    for (const rule of rules) {
      const list = this.rulesByPrincipal.get(rule.principal) ?? [];
      list.push(rule);
      this.rulesByPrincipal.set(rule.principal, list);
    }
  }

  accessFor(principal: string): Access {
    const rules = this.rulesByPrincipal.get(principal) ?? [];
    const topicRules = rules.filter((rule) => rule.groupPrefix === undefined);
    const groupPrefixes = rules.flatMap((rule) => (rule.groupPrefix === undefined ? [] : [rule.groupPrefix]));
    // A produce or fetch asks about the same few topics over and over: remember each answer.
    const decisions = new Map<string, boolean>();
    const topic = (operation: AclOperation, name: string): boolean => {
      const key = `${operation}:${name}`;
      let allowed = decisions.get(key);
      if (allowed === undefined) {
        allowed = topicRules.some((rule) => rule.operation === operation && matchesTopic(rule, name));
        if (decisions.size >= MAX_REMEMBERED_DECISIONS) decisions.clear();
        decisions.set(key, allowed);
      }
      return allowed;
    };
    return {
      topic,
      describeTopic: (name) => topic('READ', name) || topic('WRITE', name),
      group: (groupId) => groupPrefixes.some((prefix) => groupId.startsWith(prefix)),
      mayWriteSomewhere: () => topicRules.some((rule) => rule.operation === 'WRITE'),
    };
  }
}
