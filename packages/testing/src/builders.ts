import { graphqlData } from './http';

export interface TestUser {
  id: string;
  phone: string;
  password: string;
  displayName: string;
  communityId: string;
  accessToken: string;
  refreshToken: string;
}

let phoneCounter = 0;

/** A phone number no other test of this run uses (mainland format: 1 + [3-9] + 9 digits). */
export function uniquePhone(): string {
  phoneCounter += 1;
  const worker = Number(process.env.JEST_WORKER_ID ?? '1') % 10;
  const random = Math.floor(Math.random() * 1e4);
  return `19${worker}${String(random).padStart(4, '0')}${String(phoneCounter % 10_000).padStart(4, '0')}`;
}

const REQUEST_CODE = /* GraphQL */ `
  mutation RequestRegistrationCode($phone: String!) {
    requestRegistrationCode(phone: $phone) {
      codeLength
    }
  }
`;

/**
 * Where identity's development SMS outbox may be for a GraphQL endpoint: next to it (identity itself), else
 * TAOYUAN_SMS_OUTBOX_URL, which a test talking to identity through the gateway sets to identity's outbox.
 */
export function smsOutboxUrls(graphqlUrl: string): string[] {
  const beside = `${new URL(graphqlUrl).origin}/dev/sms-outbox`;
  const configured = process.env.TAOYUAN_SMS_OUTBOX_URL;
  return configured && configured !== beside ? [beside, configured] : [beside];
}

/**
 * The latest registration code identity's development SMS sender "sent" to `phone` (GET /dev/sms-outbox, served
 * outside production only): how a script or a test reads the SMS a person would read on their phone.
 */
export async function latestSmsCode(outboxUrls: string | string[], phone: string): Promise<string> {
  for (const outboxUrl of typeof outboxUrls === 'string' ? [outboxUrls] : outboxUrls) {
    const response = await fetch(`${outboxUrl}?phone=${encodeURIComponent(phone)}`);
    // Not identity (a gateway), or identity in production: try the next place.
    if (response.status === 404) continue;
    if (!response.ok) throw new Error(`SMS outbox ${outboxUrl} answered ${response.status}`);
    const body = (await response.json()) as { messages: { to: string; code?: string }[] };
    const code = body.messages.find((message) => message.to === phone && message.code)?.code;
    if (!code) throw new Error(`No registration code was sent to ${phone}`);
    return code;
  }
  throw new Error(`No SMS outbox found at ${String(outboxUrls)}`);
}

const REGISTER = /* GraphQL */ `
  mutation Register($input: RegisterInput!) {
    register(input: $input) {
      accessToken
      refreshToken
      user {
        id
        displayName
        communityId
      }
    }
  }
`;

/**
 * Data builders over the public API: a test that needs "a resident of 桃源居" gets one the way a real client would,
 * through `requestRegistrationCode`, the code from identity's development SMS outbox, and `register`, at any URL that
 * serves it (identity directly or the gateway).
 */
export function builders(url: string, options: { smsOutboxUrl?: string } = {}) {
  return {
    async newResident(input: {
      communityId: string;
      displayName?: string;
      password?: string;
      phone?: string;
    }): Promise<TestUser> {
      const password = input.password ?? 'correct horse battery';
      const phone = input.phone ?? uniquePhone();
      const displayName = input.displayName ?? `居民${phone.slice(-4)}`;
      await graphqlData(url, REQUEST_CODE, { phone });
      const code = await latestSmsCode(options.smsOutboxUrl ?? smsOutboxUrls(url), phone);
      const data = await graphqlData<{
        register: { accessToken: string; refreshToken: string; user: { id: string; communityId: string } };
      }>(url, REGISTER, {
        input: { communityId: input.communityId, phone, code, password, displayName },
      });
      return {
        id: data.register.user.id,
        communityId: data.register.user.communityId,
        phone,
        password,
        displayName,
        accessToken: data.register.accessToken,
        refreshToken: data.register.refreshToken,
      };
    },

    async login(
      phone: string,
      password: string,
    ): Promise<{ accessToken: string; refreshToken: string; userId: string }> {
      const data = await graphqlData<{ login: { accessToken: string; refreshToken: string; user: { id: string } } }>(
        url,
        `mutation($phone: String!, $password: String!) { login(phone: $phone, password: $password) { accessToken refreshToken user { id } } }`,
        { phone, password },
      );
      return { accessToken: data.login.accessToken, refreshToken: data.login.refreshToken, userId: data.login.user.id };
    },
  };
}
