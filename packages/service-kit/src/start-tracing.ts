/**
 * The first import of every process's main.ts (`import '@taoyuan/service-kit/start-tracing'`): starts tracing when
 * the OTEL_* variables ask for it, before http, pg and kafkajs are loaded, so their instrumentations see every call.
 * It loads nothing but tracing.ts (not the service-kit entry, which would load those modules first).
 */
import { startTracing } from './tracing';

startTracing();
