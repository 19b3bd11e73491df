import path from 'node:path';
import { trace } from '@opentelemetry/api';
import { defaultServiceName, startTracing, tracingConfigured, tracingStarted } from '@taoyuan/service-kit';

describe('tracing', () => {
  it('is on only when the standard variables ask for an exporter', () => {
    expect(tracingConfigured({})).toBe(false);
    expect(tracingConfigured({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318' })).toBe(true);
    expect(tracingConfigured({ OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'http://collector:4318/v1/traces' })).toBe(true);
    expect(tracingConfigured({ OTEL_TRACES_EXPORTER: 'console' })).toBe(true);
    expect(tracingConfigured({ OTEL_TRACES_EXPORTER: 'none', OTEL_EXPORTER_OTLP_ENDPOINT: 'http://c:4318' })).toBe(
      false,
    );
    expect(tracingConfigured({ OTEL_SDK_DISABLED: 'true', OTEL_EXPORTER_OTLP_ENDPOINT: 'http://c:4318' })).toBe(false);
  });

  it('off, registers nothing: spans are no-ops and nothing is recorded', () => {
    expect(startTracing({ env: {} })).toBe(false);
    expect(tracingStarted()).toBe(false);
    const span = trace.getTracer('test').startSpan('nothing');
    expect(span.isRecording()).toBe(false);
    span.end();
  });

  it('names a process after the package of its main script', () => {
    const root = path.resolve(__dirname, '../../..');
    expect(defaultServiceName(path.join(root, 'services/volunteering/src/main.ts'))).toBe('volunteering');
    expect(defaultServiceName(path.join(root, 'gateway/dist/main.js'))).toBe('gateway');
  });
});
