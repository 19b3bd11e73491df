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

/** FindCoordinator v2: this broker coordinates every group (and would every transaction). */
export const findCoordinatorApi: ApiDefinition = {
  apiKey: ApiKey.FindCoordinator,
  name: 'FindCoordinator',
  minVersion: 2,
  maxVersion: 2,
  handle(request, { broker, session }) {
    const key = request.string();
    const isGroup = request.int8() === GROUP_COORDINATOR;
    return new Writer()
      .int32(0)
      .int16(isGroup && !session.access.group(key) ? ErrorCode.GROUP_AUTHORIZATION_FAILED : ErrorCode.NONE)
      .nullableString(null)
      .int32(NODE_ID)
      .string(broker.advertisedHost)
      .int32(broker.advertisedPort);
  },
};

/** JoinGroup v5: held until the rebalance completes (every member rejoined, or the rebalance timeout). */
export const joinGroupApi: ApiDefinition = {
  apiKey: ApiKey.JoinGroup,
  name: 'JoinGroup',
  minVersion: 5,
  maxVersion: 5,
  async handle(request, { broker, clientId, clientHost, session }) {
    const groupId = request.string();
    const sessionTimeoutMs = request.int32();
    const rebalanceTimeoutMs = request.int32();
    const memberId = request.string();
    request.nullableString(); // group instance id: static membership is not supported
    const protocolType = request.string();
    const protocols = request.array((reader): GroupProtocol => ({
      name: reader.string(),
      metadata: Buffer.from(reader.bytes()),
    }));
    if (!session.access.group(groupId)) {
      return new Writer()
        .int32(0)
        .int16(ErrorCode.GROUP_AUTHORIZATION_FAILED)
        .int32(-1)
        .string('')
        .string('')
        .string(memberId)
        .array([], () => undefined);
    }
    const result = await broker.coordinator.join({
      groupId,
      sessionTimeoutMs,
      rebalanceTimeoutMs,
      memberId,
      protocolType,
      protocols,
      clientId,
      clientHost,
    });
    return new Writer()
      .int32(0)
      .int16(result.errorCode)
      .int32(result.generationId)
      .string(result.protocolName)
      .string(result.leaderId)
      .string(result.memberId)
      .array(result.members, (writer, member) =>
        writer.string(member.memberId).nullableString(null).bytes(member.metadata),
      );
  },
};

/** SyncGroup v3: the leader hands in assignments; followers wait for them. */
export const syncGroupApi: ApiDefinition = {
  apiKey: ApiKey.SyncGroup,
  name: 'SyncGroup',
  minVersion: 3,
  maxVersion: 3,
  async handle(request, { broker, session }) {
    const groupId = request.string();
    const generationId = request.int32();
    const memberId = request.string();
    request.nullableString();
    const assignments = request.array((reader) => ({ memberId: reader.string(), assignment: reader.bytes() }));
    if (!session.access.group(groupId)) {
      return new Writer().int32(0).int16(ErrorCode.GROUP_AUTHORIZATION_FAILED).bytes(Buffer.alloc(0));
    }
    const result = await broker.coordinator.sync(groupId, generationId, memberId, assignments);
    return new Writer().int32(0).int16(result.errorCode).bytes(result.assignment);
  },
};

export const heartbeatApi: ApiDefinition = {
  apiKey: ApiKey.Heartbeat,
  name: 'Heartbeat',
  minVersion: 3,
  maxVersion: 3,
  handle(request, { broker, session }) {
    const groupId = request.string();
    const generationId = request.int32();
    const memberId = request.string();
    if (!session.access.group(groupId)) return new Writer().int32(0).int16(ErrorCode.GROUP_AUTHORIZATION_FAILED);
    return new Writer().int32(0).int16(broker.coordinator.heartbeat(groupId, generationId, memberId));
  },
};

export const leaveGroupApi: ApiDefinition = {
  apiKey: ApiKey.LeaveGroup,
  name: 'LeaveGroup',
  minVersion: 3,
  maxVersion: 3,
  handle(request, { broker, session }) {
    const groupId = request.string();
    const members = request.array((reader) => ({ memberId: reader.string(), instanceId: reader.nullableString() }));
    const allowed = session.access.group(groupId);
    const errors = allowed
      ? broker.coordinator.leave(
          groupId,
          members.map((member) => member.memberId),
        )
      : members.map(() => ErrorCode.GROUP_AUTHORIZATION_FAILED);
    return new Writer()
      .int32(0)
      .int16(allowed ? ErrorCode.NONE : ErrorCode.GROUP_AUTHORIZATION_FAILED)
      .array(members, (writer, member) => {
        writer.string(member.memberId).nullableString(member.instanceId).int16(errors[members.indexOf(member)]);
      });
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
