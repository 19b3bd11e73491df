import { NODE_ID } from '../../broker';
import type { GroupProtocol } from '../../coordinator/group-coordinator';
import { ApiKey, type ApiDefinition } from '../api';
import { ErrorCode } from '../error-codes';
import { Writer } from '../writer';

const GROUP_COORDINATOR = 0;

/**
 * Every group API answers GROUP_AUTHORIZATION_FAILED for a group its principal has no rule for (Kafka's group READ):
 * one service cannot join, or commit offsets as, another service's consumer group.
 */

/** FindCoordinator v0–3: this broker coordinates every group (and would every transaction). */
export const findCoordinatorApi: ApiDefinition = {
  apiKey: ApiKey.FindCoordinator,
  name: 'FindCoordinator',
  minVersion: 0,
  maxVersion: 3,
  flexibleFrom: 3,
  handle(request, { broker, session, apiVersion: v, response }) {
    const key = request.string();
    const isGroup = v >= 1 ? request.int8() === GROUP_COORDINATOR : true;
    request.tags();
    const writer = response();
    if (v >= 1) writer.int32(0);
    writer.int16(isGroup && !session.access.group(key) ? ErrorCode.GROUP_AUTHORIZATION_FAILED : ErrorCode.NONE);
    if (v >= 1) writer.nullableString(null);
    return writer.int32(NODE_ID).string(broker.advertisedHost).int32(broker.advertisedPort).tags();
  },
};

/**
 * JoinGroup v0–9: held until the rebalance completes (every member rejoined, or the rebalance timeout). Before v1
 * there is no rebalance timeout: Kafka then uses the session timeout.
 */
export const joinGroupApi: ApiDefinition = {
  apiKey: ApiKey.JoinGroup,
  name: 'JoinGroup',
  minVersion: 0,
  maxVersion: 9,
  flexibleFrom: 6,
  async handle(request, { broker, clientId, clientHost, session, apiVersion: v, response }) {
    const groupId = request.string();
    const sessionTimeoutMs = request.int32();
    const rebalanceTimeoutMs = v >= 1 ? request.int32() : sessionTimeoutMs;
    const memberId = request.string();
    if (v >= 5) request.nullableString(); // group instance id: static membership is not supported
    const protocolType = request.string();
    const protocols = request.array((reader): GroupProtocol => {
      const protocol = { name: reader.string(), metadata: Buffer.from(reader.bytes()) };
      reader.tags();
      return protocol;
    });
    if (v >= 8) request.nullableString(); // reason, for the broker's log
    request.tags();
    const result = session.access.group(groupId)
      ? await broker.coordinator.join({
          groupId,
          sessionTimeoutMs,
          rebalanceTimeoutMs,
          memberId,
          protocolType,
          protocols,
          clientId,
          clientHost,
        })
      : {
          errorCode: ErrorCode.GROUP_AUTHORIZATION_FAILED,
          generationId: -1,
          protocolName: '',
          leaderId: '',
          memberId,
          members: [],
        };
    const writer = response();
    if (v >= 2) writer.int32(0);
    writer.int16(result.errorCode).int32(result.generationId);
    if (v >= 7) writer.nullableString(protocolType);
    writer.string(result.protocolName).string(result.leaderId);
    if (v >= 9) writer.int8(0); // skip assignment: the leader always assigns
    return writer
      .string(result.memberId)
      .array(result.members, (memberWriter, member) => {
        memberWriter.string(member.memberId);
        if (v >= 5) memberWriter.nullableString(null);
        memberWriter.bytes(member.metadata).tags();
      })
      .tags();
  },
};

/** SyncGroup v0–5: the leader hands in assignments; followers wait for them. */
export const syncGroupApi: ApiDefinition = {
  apiKey: ApiKey.SyncGroup,
  name: 'SyncGroup',
  minVersion: 0,
  maxVersion: 5,
  flexibleFrom: 4,
  async handle(request, { broker, session, apiVersion: v, response }) {
    const groupId = request.string();
    const generationId = request.int32();
    const memberId = request.string();
    if (v >= 3) request.nullableString(); // group instance id
    if (v >= 5) {
      request.nullableString(); // protocol type and name: checked at JoinGroup already
      request.nullableString();
    }
    const assignments = request.array((reader) => {
      const assignment = { memberId: reader.string(), assignment: reader.bytes() };
      reader.tags();
      return assignment;
    });
    request.tags();
    const result = session.access.group(groupId)
      ? await broker.coordinator.sync(groupId, generationId, memberId, assignments)
      : { errorCode: ErrorCode.GROUP_AUTHORIZATION_FAILED, assignment: Buffer.alloc(0) };
    const writer = response();
    if (v >= 1) writer.int32(0);
    writer.int16(result.errorCode);
    if (v >= 5) writer.nullableString(null).nullableString(null); // null: the client keeps what JoinGroup said
    return writer.bytes(result.assignment).tags();
  },
};

/** Heartbeat v0–4. */
export const heartbeatApi: ApiDefinition = {
  apiKey: ApiKey.Heartbeat,
  name: 'Heartbeat',
  minVersion: 0,
  maxVersion: 4,
  flexibleFrom: 4,
  handle(request, { broker, session, apiVersion: v, response }) {
    const groupId = request.string();
    const generationId = request.int32();
    const memberId = request.string();
    if (v >= 3) request.nullableString(); // group instance id
    request.tags();
    const errorCode = session.access.group(groupId)
      ? broker.coordinator.heartbeat(groupId, generationId, memberId)
      : ErrorCode.GROUP_AUTHORIZATION_FAILED;
    const writer = response();
    if (v >= 1) writer.int32(0);
    return writer.int16(errorCode).tags();
  },
};

/** LeaveGroup v0–5: one member before v3, a batch of members from v3 on. */
export const leaveGroupApi: ApiDefinition = {
  apiKey: ApiKey.LeaveGroup,
  name: 'LeaveGroup',
  minVersion: 0,
  maxVersion: 5,
  flexibleFrom: 4,
  handle(request, { broker, session, apiVersion: v, response }) {
    const groupId = request.string();
    const members =
      v >= 3
        ? request.array((reader) => {
            const member = { memberId: reader.string(), instanceId: reader.nullableString() };
            if (v >= 5) reader.nullableString(); // reason
            reader.tags();
            return member;
          })
        : [{ memberId: request.string(), instanceId: null }];
    request.tags();
    const allowed = session.access.group(groupId);
    const errors = allowed
      ? broker.coordinator.leave(
          groupId,
          members.map((member) => member.memberId),
        )
      : members.map(() => ErrorCode.GROUP_AUTHORIZATION_FAILED);
    const writer = response();
    if (v >= 1) writer.int32(0);
    if (v < 3) return writer.int16(allowed ? errors[0] : ErrorCode.GROUP_AUTHORIZATION_FAILED);
    return writer
      .int16(allowed ? ErrorCode.NONE : ErrorCode.GROUP_AUTHORIZATION_FAILED)
      .array(members, (memberWriter, member) => {
        memberWriter
          .string(member.memberId)
          .nullableString(member.instanceId)
          .int16(errors[members.indexOf(member)])
          .tags();
      })
      .tags();
  },
};

export const describeGroupsApi: ApiDefinition = {
  apiKey: ApiKey.DescribeGroups,
  name: 'DescribeGroups',
  minVersion: 2,
  maxVersion: 2,
  handle(request, { broker, session }) {
    const groupIds = request.array((reader) => reader.string());
    return new Writer().int32(0).array(groupIds, (writer, groupId) => {
      if (!session.access.group(groupId)) {
        writer
          .int16(ErrorCode.GROUP_AUTHORIZATION_FAILED)
          .string(groupId)
          .string('')
          .string('')
          .string('')
          .array([], () => undefined);
        return;
      }
      const group = broker.coordinator.describe(groupId);
      writer
        .int16(group.errorCode)
        .string(group.groupId)
        .string(group.state)
        .string(group.protocolType)
        .string(group.protocol)
        .array(group.members, (memberWriter, member) => {
          memberWriter
            .string(member.memberId)
            .string(member.clientId)
            .string(member.clientHost)
            .bytes(member.metadata)
            .bytes(member.assignment);
        });
    });
  },
};

export const listGroupsApi: ApiDefinition = {
  apiKey: ApiKey.ListGroups,
  name: 'ListGroups',
  minVersion: 2,
  maxVersion: 2,
  handle(_request, { broker, session }) {
    const visible = broker.coordinator.list().filter((group) => session.access.group(group.groupId));
    return new Writer()
      .int32(0)
      .int16(ErrorCode.NONE)
      .array(visible, (writer, group) => writer.string(group.groupId).string(group.protocolType));
  },
};

export const deleteGroupsApi: ApiDefinition = {
  apiKey: ApiKey.DeleteGroups,
  name: 'DeleteGroups',
  minVersion: 1,
  maxVersion: 1,
  handle(request, { broker, session }) {
    const groupIds = request.array((reader) => reader.string());
    return new Writer()
      .int32(0)
      .array(groupIds, (writer, groupId) =>
        writer
          .string(groupId)
          .int16(
            session.access.group(groupId)
              ? broker.coordinator.deleteGroup(groupId)
              : ErrorCode.GROUP_AUTHORIZATION_FAILED,
          ),
      );
  },
};
