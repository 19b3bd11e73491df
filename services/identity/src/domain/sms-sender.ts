import type { Logger } from '@taoyuan/service-kit';

export interface SmsMessage {
  to: string;
  text: string;
  /** The one-time code the text carries, if any (the development outbox shows it on its own for scripts). */
  code?: string;
}

/** Sends text messages. A real provider (阿里云短信, 腾讯云短信…) implements this and is chosen by SMS_PROVIDER. */
export interface SmsSender {
  send(message: SmsMessage): Promise<void>;
}

export interface SentSms extends SmsMessage {
  sentAt: string;
}

/**
 * Development only: logs each message and keeps the latest ones in memory, served at GET /dev/sms-outbox so scripts
 * and front-end developers can finish a registration without a phone.
 */
export class DevSmsSender implements SmsSender {
  private readonly sent: SentSms[] = [];

  constructor(
    private readonly logger: Logger,
    private readonly keep = 200,
  ) {}

  send(message: SmsMessage): Promise<void> {
    this.sent.unshift({ ...message, sentAt: new Date().toISOString() });
    this.sent.length = Math.min(this.sent.length, this.keep);
    this.logger.info({ sms: message }, 'development SMS (not sent)');
    return Promise.resolve();
  }

  /** Newest first; only those to `phone` when given. */
  outbox(phone?: string): SentSms[] {
    return phone ? this.sent.filter((message) => message.to === phone) : [...this.sent];
  }
}

export type SmsProvider = 'dev';

export function createSmsSender(provider: SmsProvider, logger: Logger): SmsSender {
  switch (provider) {
    case 'dev':
      return new DevSmsSender(logger);
  }
}
