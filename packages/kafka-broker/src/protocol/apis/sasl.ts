import { SASL_MECHANISMS, type SaslMechanism } from '../../security/security-config';
import { ApiKey, type ApiDefinition } from '../api';
import { ErrorCode } from '../error-codes';
import { Writer } from '../writer';

const isMechanism = (name: string): name is SaslMechanism => (SASL_MECHANISMS as readonly string[]).includes(name);

/**
 * SaslHandshake v0–1: the client names a mechanism; the answer lists the ones we offer. A broker without a
 * security config offers none. Both versions are followed by SaslAuthenticate here (kafkajs picks v1 whenever
 * SaslAuthenticate is advertised); the raw, unframed tokens Kafka also accepts after a v0 handshake are not supported.
 */
export const saslHandshakeApi: ApiDefinition = {
  apiKey: ApiKey.SaslHandshake,
  name: 'SaslHandshake',
  minVersion: 0,
  maxVersion: 1,
  handle(request, { session }) {
    const mechanism = request.string();
    const offered = session.security ? [...SASL_MECHANISMS] : [];
    let errorCode: ErrorCode = ErrorCode.NONE;
    if (!session.security || !isMechanism(mechanism)) {
      errorCode = ErrorCode.UNSUPPORTED_SASL_MECHANISM;
    } else if (session.principal !== null || session.mechanism !== null) {
      errorCode = ErrorCode.ILLEGAL_SASL_STATE;
      session.closeAfterResponse = true;
    } else {
      session.mechanism = mechanism;
      session.exchange = session.security.sasl.start(mechanism);
    }
    return new Writer().int16(errorCode).array(offered, (writer, name) => writer.string(name));
  },
};

/**
 * SaslAuthenticate v0–2 (librdkafka uses v0, kafkajs v1, the Java client v2) carries the mechanism's messages. A failure answers SASL_AUTHENTICATION_FAILED (58) with
 * Kafka's message and closes the connection; v1 adds the session lifetime, 0 = no re-authentication needed.
 */
export const saslAuthenticateApi: ApiDefinition = {
  apiKey: ApiKey.SaslAuthenticate,
  name: 'SaslAuthenticate',
  minVersion: 0,
  maxVersion: 2,
  flexibleFrom: 2,
  async handle(request, context) {
    const { session, apiVersion } = context;
    const clientBytes = Buffer.from(request.bytes());
    request.tags();
    const response = context.response();
    const exchange = session.exchange;
    if (!exchange) {
      session.closeAfterResponse = true;
      response.int16(ErrorCode.ILLEGAL_SASL_STATE).nullableString('SaslAuthenticate before SaslHandshake');
      response.bytes(Buffer.alloc(0));
    } else {
      const step = await exchange.step(clientBytes);
      if (step.kind === 'failed') {
        session.closeAfterResponse = true;
        response.int16(ErrorCode.SASL_AUTHENTICATION_FAILED).nullableString(step.message).bytes(Buffer.alloc(0));
      } else {
        if (step.kind === 'authenticated') session.authenticate(step.principal);
        response.int16(ErrorCode.NONE).nullableString(null).bytes(step.bytes);
      }
    }
    if (apiVersion >= 1) response.int64(0);
    return response.tags();
  },
};
