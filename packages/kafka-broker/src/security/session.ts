import { NO_ACCESS, OPEN_ACCESS, type Access, type Authorizer } from './authorizer';
import type { SaslExchange, SaslServer } from './sasl-server';
import type { SaslMechanism } from './security-config';

/** The broker's security when a config is given: who may log in, and what each principal may do. */
export interface BrokerSecurity {
  sasl: SaslServer;
  authorizer: Authorizer;
}

/**
 * One connection's authentication state. Without broker security every connection is open from the start; with it,
 * a connection may only negotiate versions and authenticate until SASL succeeds, and then acts as its principal.
 */
export class ConnectionSession {
  access: Access;
  principal: string | null = null;
  mechanism: SaslMechanism | null = null;
  exchange: SaslExchange | null = null;
  /** Set after a failed authentication: the error is answered, then the connection is closed (as Kafka does). */
  closeAfterResponse = false;

  constructor(readonly security: BrokerSecurity | null) {
    this.access = security ? NO_ACCESS : OPEN_ACCESS;
  }

  get authenticated(): boolean {
    return this.security === null || this.principal !== null;
  }

  authenticate(principal: string): void {
    if (!this.security) return;
    this.principal = principal;
    this.exchange = null;
    this.access = this.security.authorizer.accessFor(principal);
  }
}
