import { Webhook } from 'standardwebhooks';
import { startWebhookReceiver, type RunningReceiver, type TaoyuanWebhook } from '../src/webhook-receiver';

const secret = `whsec_${Buffer.alloc(32, 7).toString('base64')}`;
let receiver: RunningReceiver;
const processed: { id: string; message: TaoyuanWebhook }[] = [];

beforeAll(async () => {
  receiver = await startWebhookReceiver({ secret, onMessage: (message, id) => void processed.push({ id, message }) });
});
afterAll(() => receiver?.stop());

function post(id: string, body: string, signWith = secret) {
  const now = new Date();
  return fetch(receiver.url, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      'webhook-id': id,
      'webhook-timestamp': String(Math.floor(now.getTime() / 1000)),
      'webhook-signature': new Webhook(signWith).sign(id, now, body),
    },
    body,
  });
}

it('processes a signed message once however often it arrives, and refuses a forged one', async () => {
  const body = JSON.stringify({
    type: 'points.tier-reached',
    timestamp: new Date().toISOString(),
    eventId: 'e1',
    data: { tier: 'ACTIVIST' },
  });
  expect((await post('msg_1', body)).status).toBe(204);
  expect((await post('msg_1', body)).status).toBe(204);
  expect(processed).toEqual([{ id: 'msg_1', message: JSON.parse(body) as TaoyuanWebhook }]);
  const forged = await post('msg_2', body, `whsec_${Buffer.alloc(32, 9).toString('base64')}`);
  expect(forged.status).toBe(401);
  expect(processed).toHaveLength(1);
});
