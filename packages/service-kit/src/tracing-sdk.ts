import { context } from '@opentelemetry/api';
import { suppressTracing } from '@opentelemetry/core';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { registerInstrumentations } from '@opentelemetry/instrumentation';
import { HttpInstrumentation } from '@opentelemetry/instrumentation-http';
import { KafkaJsInstrumentation } from '@opentelemetry/instrumentation-kafkajs';
import { PgInstrumentation } from '@opentelemetry/instrumentation-pg';
import { defaultResource, detectResources, envDetector, resourceFromAttributes } from '@opentelemetry/resources';
import {
  BatchSpanProcessor,
  ConsoleSpanExporter,
  SimpleSpanProcessor,
  type SpanExporter,
  type SpanProcessor,
} from '@opentelemetry/sdk-trace-base';
import { NodeTracerProvider } from '@opentelemetry/sdk-trace-node';
import { ATTR_SERVICE_NAME } from '@opentelemetry/semantic-conventions';

/**
 * The OpenTelemetry SDK, loaded only by startTracing (tracing.ts) when tracing is on. Everything else in the code uses
 * the API alone, which is a no-op while no provider is registered.
 */

/** Probes and scrapes arrive every few seconds and say nothing about a request: no trace for them. */
const UNTRACED_PATHS = /^\/(metrics|live|ready|health)(\/|\?|$)/;

function spanProcessor(env: NodeJS.ProcessEnv, exporter: SpanExporter | undefined): SpanProcessor {
  if (exporter) return new SimpleSpanProcessor(exporter);
  const kind = env.OTEL_TRACES_EXPORTER?.trim().toLowerCase() || 'otlp';
  if (kind === 'console') return new BatchSpanProcessor(new ConsoleSpanExporter());
  if (kind !== 'otlp') throw new Error(`OTEL_TRACES_EXPORTER=${kind}: only otlp, console or none are supported`);
  const protocol = (env.OTEL_EXPORTER_OTLP_TRACES_PROTOCOL ?? env.OTEL_EXPORTER_OTLP_PROTOCOL)?.trim();
  // The exporter installed speaks OTLP/HTTP with JSON bodies, which every collector takes on its HTTP port (4318).
  if (protocol === 'grpc')
    throw new Error('OTEL_EXPORTER_OTLP_PROTOCOL=grpc is not supported: use http/json (the collector’s port 4318)');
  // Endpoint, headers, timeout and the batch settings (OTEL_BSP_*) come from the standard variables.
  return new BatchSpanProcessor(new OTLPTraceExporter());
}

export function startTracerProvider(options: {
  serviceName: string;
  exporter: SpanExporter | undefined;
  env: NodeJS.ProcessEnv;
}): { shutdown(): Promise<void>; withoutTracing<T>(work: () => T): T } {
  // OTEL_SERVICE_NAME and OTEL_RESOURCE_ATTRIBUTES (envDetector) win over the process's own name.
  const resource = defaultResource()
    .merge(resourceFromAttributes({ [ATTR_SERVICE_NAME]: options.serviceName }))
    .merge(detectResources({ detectors: [envDetector] }));
  const provider = new NodeTracerProvider({ resource, spanProcessors: [spanProcessor(options.env, options.exporter)] });
  // The W3C traceparent propagator and the AsyncLocalStorage context manager, for the API everywhere in the process.
  provider.register();
  const disableInstrumentations = registerInstrumentations({
    tracerProvider: provider,
    instrumentations: [
      new HttpInstrumentation({
        ignoreIncomingRequestHook: (request) => UNTRACED_PATHS.test(request.url ?? ''),
      }),
      // Only queries inside a traced operation: the outbox relay's polling and pool checks would each be a trace.
      new PgInstrumentation({ requireParentSpan: true }),
      new KafkaJsInstrumentation(),
    ],
  });
  return {
    shutdown: async () => {
      disableInstrumentations();
      await provider.shutdown();
    },
    withoutTracing: (work) => context.with(suppressTracing(context.active()), work),
  };
}
