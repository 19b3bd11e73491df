import { randomUUID } from 'node:crypto';
import type { Logger } from '../logger';
import { ErrorCode } from '../protocol/error-codes';
import type { OffsetStore } from '../storage/offset-store';

export type GroupState = 'Empty' | 'PreparingRebalance' | 'CompletingRebalance' | 'Stable';

export interface GroupProtocol {
  name: string;
  metadata: Buffer;
}

export interface JoinGroupRequest {
  groupId: string;
  sessionTimeoutMs: number;
  rebalanceTimeoutMs: number;
  memberId: string;
  protocolType: string;
  protocols: GroupProtocol[];
  clientId: string;
  clientHost: string;
}

export interface JoinGroupResult {
  errorCode: ErrorCode;
  generationId: number;
  protocolName: string;
  leaderId: string;
  memberId: string;
  /** Only the leader gets the members (with their metadata for the chosen protocol). */
  members: { memberId: string; metadata: Buffer }[];
}

export interface SyncGroupResult {
  errorCode: ErrorCode;
  assignment: Buffer;
}

export interface CommitOffset {
  topic: string;
  partition: number;
  offset: number;
  metadata: string | null;
}

export interface GroupDescription {
  errorCode: ErrorCode;
  groupId: string;
  state: GroupState | 'Dead';
  protocolType: string;
  protocol: string;
  members: { memberId: string; clientId: string; clientHost: string; metadata: Buffer; assignment: Buffer }[];
}

interface Member {
  memberId: string;
  clientId: string;
  clientHost: string;
  sessionTimeoutMs: number;
  rebalanceTimeoutMs: number;
  protocols: GroupProtocol[];
  assignment: Buffer;
  lastSeen: number;
  /** Set while the member's JoinGroup response is held back until the rebalance completes. */
  pendingJoin: ((result: JoinGroupResult) => void) | null;
  /** Set while a follower's SyncGroup waits for the leader's assignments. */
  pendingSync: ((result: SyncGroupResult) => void) | null;
}

interface Group {
  groupId: string;
  state: GroupState;
  generationId: number;
  protocolType: string;
  protocolName: string;
  leaderId: string;
  members: Map<string, Member>;
  rebalanceTimer: NodeJS.Timeout | null;
}

const EMPTY = Buffer.alloc(0);
/** How often session timeouts are checked; eviction happens within this much after the timeout. */
const SESSION_CHECK_INTERVAL_MS = 250;

function joinError(errorCode: ErrorCode, memberId: string): JoinGroupResult {
  return { errorCode, generationId: -1, protocolName: '', leaderId: '', memberId, members: [] };
}

/**
 * Consumer-group membership and rebalancing, following Kafka's GroupCoordinator: Empty → PreparingRebalance (collect
 * JoinGroups) → CompletingRebalance (wait for the leader's SyncGroup) → Stable. There is no initial rebalance delay
 * (Kafka waits 3 s for more members), which keeps tests fast; late joiners simply trigger another rebalance.
 */
export class GroupCoordinator {
  private readonly groups = new Map<string, Group>();
  private readonly sessionTimer: NodeJS.Timeout;

  constructor(
    private readonly offsets: OffsetStore,
    private readonly logger: Logger,
  ) {
    this.sessionTimer = setInterval(() => this.expireSessions(Date.now()), SESSION_CHECK_INTERVAL_MS);
    this.sessionTimer.unref();
  }

  private group(groupId: string): Group {
    let group = this.groups.get(groupId);
    if (!group) {
      group = {
        groupId,
        state: 'Empty',
        generationId: 0,
        protocolType: '',
        protocolName: '',
        leaderId: '',
        members: new Map(),
        rebalanceTimer: null,
      };
      this.groups.set(groupId, group);
    }
    return group;
  }

  private transition(group: Group, state: GroupState, reason: string): void {
    if (group.state === state) return;
    this.logger.debug(
      { groupId: group.groupId, from: group.state, to: state, generationId: group.generationId, reason },
      'kafka-broker: group state change',
    );
    group.state = state;
  }

  join(request: JoinGroupRequest): Promise<JoinGroupResult> {
    const group = this.group(request.groupId);
    if (request.memberId !== '' && !group.members.has(request.memberId)) {
      return Promise.resolve(joinError(ErrorCode.UNKNOWN_MEMBER_ID, request.memberId));
    }
    const others = [...group.members.values()].filter((member) => member.memberId !== request.memberId);
    if (others.length > 0 && request.protocolType !== group.protocolType) {
      return Promise.resolve(joinError(ErrorCode.INCONSISTENT_GROUP_PROTOCOL, request.memberId));
    }
    const shared = request.protocols.some((protocol) =>
      others.every((member) => member.protocols.some((own) => own.name === protocol.name)),
    );
    if (!shared) return Promise.resolve(joinError(ErrorCode.INCONSISTENT_GROUP_PROTOCOL, request.memberId));

    const memberId = request.memberId || `${request.clientId}-${randomUUID()}`;
    let member = group.members.get(memberId);
    if (!member) {
      member = {
        memberId,
        clientId: request.clientId,
        clientHost: request.clientHost,
        sessionTimeoutMs: request.sessionTimeoutMs,
        rebalanceTimeoutMs: request.rebalanceTimeoutMs,
        protocols: request.protocols,
        assignment: EMPTY,
        lastSeen: Date.now(),
        pendingJoin: null,
        pendingSync: null,
      };
      group.members.set(memberId, member);
    }
    group.protocolType = request.protocolType;
    member.protocols = request.protocols;
    member.sessionTimeoutMs = request.sessionTimeoutMs;
    member.rebalanceTimeoutMs = request.rebalanceTimeoutMs;
    member.lastSeen = Date.now();
    // A member re-sending JoinGroup replaces its earlier, now abandoned request.
    member.pendingJoin?.(joinError(ErrorCode.REBALANCE_IN_PROGRESS, memberId));
    const joining = member;
    return new Promise((resolve) => {
      joining.pendingJoin = resolve;
      if (group.state !== 'PreparingRebalance') this.prepareRebalance(group, `member ${memberId} joining`);
      this.maybeCompleteJoin(group);
    });
  }

  private prepareRebalance(group: Group, reason: string): void {
    for (const member of group.members.values()) {
      member.pendingSync?.({ errorCode: ErrorCode.REBALANCE_IN_PROGRESS, assignment: EMPTY });
      member.pendingSync = null;
    }
    this.transition(group, 'PreparingRebalance', reason);
    if (group.rebalanceTimer) clearTimeout(group.rebalanceTimer);
    const timeout = Math.max(0, ...[...group.members.values()].map((member) => member.rebalanceTimeoutMs));
    group.rebalanceTimer = setTimeout(() => this.completeJoin(group), timeout);
    group.rebalanceTimer.unref();
  }

  private maybeCompleteJoin(group: Group): void {
    if (group.state !== 'PreparingRebalance') return;
    if ([...group.members.values()].every((member) => member.pendingJoin !== null)) this.completeJoin(group);
  }

  /** Ends the join phase: members that did not rejoin in time are dropped, the rest get the new generation. */
  private completeJoin(group: Group): void {
    if (group.rebalanceTimer) clearTimeout(group.rebalanceTimer);
    group.rebalanceTimer = null;
    for (const member of [...group.members.values()]) {
      if (member.pendingJoin === null) {
        group.members.delete(member.memberId);
        this.logger.debug(
          { groupId: group.groupId, memberId: member.memberId },
          'kafka-broker: member removed (did not rejoin within the rebalance timeout)',
        );
      }
    }
    group.generationId++;
    if (group.members.size === 0) {
      group.leaderId = '';
      group.protocolName = '';
      this.transition(group, 'Empty', 'no members left');
      return;
    }
    const members = [...group.members.values()];
    group.protocolName = this.chooseProtocol(members);
    if (!group.members.has(group.leaderId)) group.leaderId = members[0].memberId;
    this.transition(group, 'CompletingRebalance', `generation ${group.generationId} formed`);
    const now = Date.now();
    const memberList = members.map((member) => ({
      memberId: member.memberId,
      metadata: member.protocols.find((protocol) => protocol.name === group.protocolName)?.metadata ?? EMPTY,
    }));
    for (const member of members) {
      const respond = member.pendingJoin;
      member.pendingJoin = null;
      member.assignment = EMPTY;
      member.lastSeen = now;
      respond?.({
        errorCode: ErrorCode.NONE,
        generationId: group.generationId,
        protocolName: group.protocolName,
        leaderId: group.leaderId,
        memberId: member.memberId,
        members: member.memberId === group.leaderId ? memberList : [],
      });
    }
  }

  /** Each member votes for its most preferred protocol that every member supports (Kafka's rule). */
  private chooseProtocol(members: Member[]): string {
    const candidates = members[0].protocols
      .map((protocol) => protocol.name)
      .filter((name) => members.every((member) => member.protocols.some((protocol) => protocol.name === name)));
    const votes = new Map<string, number>();
    for (const member of members) {
      const choice = member.protocols.find((protocol) => candidates.includes(protocol.name));
      if (choice) votes.set(choice.name, (votes.get(choice.name) ?? 0) + 1);
    }
    let best = candidates[0];
    for (const name of candidates) if ((votes.get(name) ?? 0) > (votes.get(best) ?? 0)) best = name;
    return best;
  }

  sync(
    groupId: string,
    generationId: number,
    memberId: string,
    assignments: { memberId: string; assignment: Buffer }[],
  ): Promise<SyncGroupResult> {
    const group = this.groups.get(groupId);
    const member = group?.members.get(memberId);
    if (!group || !member) return Promise.resolve({ errorCode: ErrorCode.UNKNOWN_MEMBER_ID, assignment: EMPTY });
    if (generationId !== group.generationId) {
      return Promise.resolve({ errorCode: ErrorCode.ILLEGAL_GENERATION, assignment: EMPTY });
    }
    member.lastSeen = Date.now();
    switch (group.state) {
      case 'Empty':
        return Promise.resolve({ errorCode: ErrorCode.UNKNOWN_MEMBER_ID, assignment: EMPTY });
      case 'PreparingRebalance':
        return Promise.resolve({ errorCode: ErrorCode.REBALANCE_IN_PROGRESS, assignment: EMPTY });
      case 'Stable':
        return Promise.resolve({ errorCode: ErrorCode.NONE, assignment: member.assignment });
      case 'CompletingRebalance':
        break;
    }
    if (memberId !== group.leaderId) {
      return new Promise((resolve) => {
        member.pendingSync?.({ errorCode: ErrorCode.REBALANCE_IN_PROGRESS, assignment: EMPTY });
        member.pendingSync = resolve;
      });
    }
    const byMember = new Map(assignments.map((entry) => [entry.memberId, entry.assignment]));
    for (const each of group.members.values()) {
      // Members the leader assigned nothing get empty bytes, never null (kafkajs cannot decode null).
      each.assignment = Buffer.from(byMember.get(each.memberId) ?? EMPTY);
    }
    this.transition(group, 'Stable', `leader ${memberId} sent assignments`);
    for (const each of group.members.values()) {
      const respond = each.pendingSync;
      each.pendingSync = null;
      respond?.({ errorCode: ErrorCode.NONE, assignment: each.assignment });
    }
    return Promise.resolve({ errorCode: ErrorCode.NONE, assignment: member.assignment });
  }

  heartbeat(groupId: string, generationId: number, memberId: string): ErrorCode {
    const group = this.groups.get(groupId);
    const member = group?.members.get(memberId);
    if (!group || !member) return ErrorCode.UNKNOWN_MEMBER_ID;
    member.lastSeen = Date.now();
    if (generationId !== group.generationId) return ErrorCode.ILLEGAL_GENERATION;
    return group.state === 'PreparingRebalance' ? ErrorCode.REBALANCE_IN_PROGRESS : ErrorCode.NONE;
  }

  leave(groupId: string, memberIds: string[]): ErrorCode[] {
    const group = this.groups.get(groupId);
    return memberIds.map((memberId) => {
      if (!group?.members.has(memberId)) return ErrorCode.UNKNOWN_MEMBER_ID;
      this.removeMember(group, memberId, 'left the group');
      return ErrorCode.NONE;
    });
  }

  private removeMember(group: Group, memberId: string, reason: string): void {
    const member = group.members.get(memberId);
    if (!member) return;
    group.members.delete(memberId);
    this.logger.debug({ groupId: group.groupId, memberId, reason }, 'kafka-broker: member removed');
    member.pendingJoin?.(joinError(ErrorCode.UNKNOWN_MEMBER_ID, memberId));
    member.pendingSync?.({ errorCode: ErrorCode.UNKNOWN_MEMBER_ID, assignment: EMPTY });
    switch (group.state) {
      case 'Empty':
        return;
      case 'PreparingRebalance':
        if (group.members.size === 0) this.completeJoin(group);
        else this.maybeCompleteJoin(group);
        return;
      case 'CompletingRebalance':
      case 'Stable':
        if (group.members.size === 0) {
          group.generationId++;
          group.leaderId = '';
          this.transition(group, 'Empty', `member ${memberId} ${reason}, no members left`);
        } else {
          this.prepareRebalance(group, `member ${memberId} ${reason}`);
        }
        return;
    }
  }

  /** Members are alive while a JoinGroup or SyncGroup of theirs is pending; otherwise they must keep heartbeating. */
  private expireSessions(now: number): void {
    for (const group of this.groups.values()) {
      for (const member of [...group.members.values()]) {
        if (member.pendingJoin || member.pendingSync) continue;
        if (now - member.lastSeen > member.sessionTimeoutMs) {
          this.removeMember(group, member.memberId, 'session timed out');
        }
      }
    }
  }

  commitOffsets(groupId: string, generationId: number, memberId: string, offsets: CommitOffset[]): ErrorCode {
    const group = this.group(groupId);
    // A commit from outside any generation (admin.setOffsets, or a consumer without a group) is accepted only while
    // no member could be committing too.
    if (generationId < 0 && group.members.size === 0) {
      this.offsets.commit(groupId, offsets);
      return ErrorCode.NONE;
    }
    const member = group.members.get(memberId);
    if (!member) return ErrorCode.UNKNOWN_MEMBER_ID;
    if (generationId !== group.generationId) return ErrorCode.ILLEGAL_GENERATION;
    // kafkajs commits right after a heartbeat answers 27, so commits must succeed during PreparingRebalance; in
    // CompletingRebalance the member cannot know its new assignment yet.
    if (group.state === 'CompletingRebalance') return ErrorCode.REBALANCE_IN_PROGRESS;
    member.lastSeen = Date.now();
    this.offsets.commit(groupId, offsets);
    return ErrorCode.NONE;
  }

  /** Committed offsets; `topics` null means every partition the group has committed. Missing ones are -1. */
  fetchOffsets(
    groupId: string,
    topics: { topic: string; partitions: number[] }[] | null,
  ): { topic: string; partitions: { partition: number; offset: number; metadata: string }[] }[] {
    if (topics === null) {
      return [...this.offsets.allForGroup(groupId)].map(([topic, partitions]) => ({
        topic,
        partitions: [...partitions].map(([partition, committed]) => ({
          partition,
          offset: committed.offset,
          metadata: committed.metadata ?? '',
        })),
      }));
    }
    return topics.map(({ topic, partitions }) => ({
      topic,
      partitions: partitions.map((partition) => {
        const committed = this.offsets.get(groupId, topic, partition);
        return { partition, offset: committed?.offset ?? -1, metadata: committed?.metadata ?? '' };
      }),
    }));
  }

  describe(groupId: string): GroupDescription {
    const group = this.groups.get(groupId);
    if (!group) {
      const state = this.offsets.hasGroup(groupId) ? 'Empty' : 'Dead';
      return { errorCode: ErrorCode.NONE, groupId, state, protocolType: '', protocol: '', members: [] };
    }
    return {
      errorCode: ErrorCode.NONE,
      groupId,
      state: group.state,
      protocolType: group.protocolType,
      protocol: group.protocolName,
      members: [...group.members.values()].map((member) => ({
        memberId: member.memberId,
        clientId: member.clientId,
        clientHost: member.clientHost,
        metadata: member.protocols.find((protocol) => protocol.name === group.protocolName)?.metadata ?? EMPTY,
        assignment: member.assignment,
      })),
    };
  }

  list(): { groupId: string; protocolType: string }[] {
    const ids = new Set([...this.groups.keys(), ...this.offsets.groupIds()]);
    return [...ids].map((groupId) => ({ groupId, protocolType: this.groups.get(groupId)?.protocolType ?? '' }));
  }

  deleteGroup(groupId: string): ErrorCode {
    const group = this.groups.get(groupId);
    if (group && group.members.size > 0) return ErrorCode.NON_EMPTY_GROUP;
    if (!group && !this.offsets.hasGroup(groupId)) return ErrorCode.GROUP_ID_NOT_FOUND;
    this.groups.delete(groupId);
    this.offsets.deleteGroup(groupId);
    this.logger.debug({ groupId }, 'kafka-broker: group deleted');
    return ErrorCode.NONE;
  }

  deleteTopic(topic: string): void {
    this.offsets.deleteTopic(topic);
  }

  close(): void {
    clearInterval(this.sessionTimer);
    for (const group of this.groups.values()) {
      if (group.rebalanceTimer) clearTimeout(group.rebalanceTimer);
      for (const member of group.members.values()) {
        member.pendingJoin?.(joinError(ErrorCode.REBALANCE_IN_PROGRESS, member.memberId));
        member.pendingSync?.({ errorCode: ErrorCode.REBALANCE_IN_PROGRESS, assignment: EMPTY });
      }
    }
    this.groups.clear();
  }
}
