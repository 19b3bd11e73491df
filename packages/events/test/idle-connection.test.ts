import { startTestBroker, testKafka, type TestBroker } from './support';

/**
 * kafkajs 2.2.4 re-arms a 1 ms timer on every idle broker connection forever (tulios/kafkajs#1556): with a producer
 * and consumers per process, the whole stack spent a few percent of a core per process doing nothing, and more under
 * load. patches/kafkajs@2.2.4.patch stops the loop; this test fails if the patch is ever lost (an upgrade, a lockfile
 * without `patchedDependencies`).
 */
let broker: TestBroker;

beforeAll(async () => {
  broker = await startTestBroker();
});
afterAll(async () => {
  await broker?.stop();
});

test('an idle kafkajs connection arms no timer loop', async () => {
  const producer = testKafka(broker.brokers).producer();
  await producer.connect();
  try {
    await producer.send({ topic: 'idle-connection-test', messages: [{ value: '桃源居' }] });
    await new Promise((resolve) => setTimeout(resolve, 200));
    const armed = jest.spyOn(global, 'setTimeout');
    try {
      await new Promise((resolve) => setTimeout(resolve, 500));
      // Unpatched: one call per millisecond (hundreds here). Patched: only the test's own and the odd housekeeping.
      expect(armed.mock.calls.length).toBeLessThan(20);
    } finally {
      armed.mockRestore();
    }
  } finally {
    await producer.disconnect();
  }
});
