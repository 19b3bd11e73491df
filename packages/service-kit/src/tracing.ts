import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { SpanExporter } from '@opentelemetry/sdk-trace-base';
import type * as TracingSdk from './tracing-sdk';

/**
 * OpenTelemetry traces, off unless the standard variables ask for them: `OTEL_EXPORTER_OTLP_ENDPOINT` (or
 * `OTEL_EXPORTER_OTLP_TRACES_ENDPOINT`, or `OTEL_TRACES_EXPORTER=otlp|console`), `OTEL_SDK_DISABLED=true` wins.
 * Every main.ts imports `@taoyuan/service-kit/start-tracing` first, so the http, pg and kafkajs instrumentations are
 * in place before those modules load — the same in development, in the build and in the Docker image.
 */
export interface TracingOptions {
  /** `service.name` unless OTEL_SERVICE_NAME says otherwise. */
  serviceName?: string;
  /** Spans go here, each as it ends, instead of the OTLP exporter (tests: an InMemorySpanExporter). */
  exporter?: SpanExporter;
  env?: NodeJS.ProcessEnv;
}

let running: { shutdown(): Promise<void>; withoutTracing<T>(work: () => T): T } | undefined;

export function tracingConfigured(env: NodeJS.ProcessEnv = process.env): boolean {
  if (env.OTEL_SDK_DISABLED?.trim().toLowerCase() === 'true') return false;
  const exporter = env.OTEL_TRACES_EXPORTER?.trim().toLowerCase();
  if (exporter === 'none') return false;
  return Boolean(exporter || env.OTEL_EXPORTER_OTLP_ENDPOINT || env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT);
}

/** Whether this process records spans: code that would only build spans or headers for the exporter asks first. */
export function tracingStarted(): boolean {
  return running !== undefined;
}

/**
 * Starts tracing when configured (or when `exporter` is given); returns whether it runs. Off, nothing is loaded or
 * registered: the OpenTelemetry API stays a no-op and the SDK's modules are never read.
 */
export function startTracing(options: TracingOptions = {}): boolean {
  if (running) return true;
  const env = options.env ?? process.env;
  if (!options.exporter && !tracingConfigured(env)) return false;
  // Loaded on demand (the SDK and the instrumentations take a few hundred milliseconds to load): a process that does
  // not trace never pays for them. module.require keeps the load synchronous, before the instrumented modules load.
  const sdk = module.require('./tracing-sdk') as typeof TracingSdk;
  running = sdk.startTracerProvider({
    serviceName: options.serviceName ?? defaultServiceName(),
    exporter: options.exporter,
    env,
  });
  return true;
}

/** Exports what is buffered and stops; called on the way out (stopOnSignals) so the last spans are not lost. */
export async function stopTracing(): Promise<void> {
  const stopping = running;
  running = undefined;
  // A collector that cannot be reached loses these spans; it must not turn a clean stop into a failed one.
  await stopping?.shutdown().catch(() => undefined);
}

/** Runs `work` without creating spans (e.g. a client library's own spans that would duplicate ours). */
export function withoutTracing<T>(work: () => T): T {
  return running ? running.withoutTracing(work) : work();
}

/**
 * The name of the package whose entry this process runs (`@taoyuan/volunteering` → `volunteering`), found from the
 * main script upwards; the process title when there is none.
 */
export function defaultServiceName(mainScript: string | undefined = process.argv[1]): string {
  let directory = mainScript ? path.dirname(path.resolve(mainScript)) : undefined;
  while (directory) {
    const manifest = path.join(directory, 'package.json');
    if (existsSync(manifest)) {
      try {
        const name = (JSON.parse(readFileSync(manifest, 'utf8')) as { name?: unknown }).name;
        if (typeof name === 'string' && name) return name.replace(/^@taoyuan\//, '');
      } catch {
        // an unreadable manifest: keep looking upwards
      }
    }
    const parent = path.dirname(directory);
    directory = parent === directory ? undefined : parent;
  }
  return process.title;
}
