import type { NextFunction, Request, RequestHandler, Response } from 'express';
import {
  admissionQueueWait,
  admissionRequests,
  ErrorCode,
  localizeError,
  negotiateLocale,
  shedRequests,
  z,
  type Locale,
} from '@taoyuan/service-kit';

/**
 * Admission control for GraphQL at the gateway (env). Under CPU saturation an unbounded number of requests in flight
 * share the CPU, so every one of them slows down and new sockets are read late; a bounded number running and a
 * bounded FIFO queue keep each admitted request fast, serve clients in the order they arrived, and turn the excess
 * into a quick retryable answer instead of a 10-second wait.
 */
export const admissionConfigShape = {
  ADMISSION_MAX_CONCURRENT: z.coerce
    .number()
    .int()
    .min(0)
    .default(48)
    .describe('GraphQL requests the gateway executes at once; the rest wait in a queue (0 = no limit, no queue)'),
  ADMISSION_MAX_QUEUE: z.coerce
    .number()
    .int()
    .min(0)
    .default(1_000)
    .describe('requests waiting for a slot; one more is refused at once with SERVICE_UNAVAILABLE (HTTP 503)'),
  ADMISSION_MAX_QUEUE_MS: z.coerce
    .number()
    .int()
    .min(1)
    .default(4_000)
    .describe('longest wait for a slot; a request that waited longer is refused with SERVICE_UNAVAILABLE (HTTP 503)'),
  ADMISSION_RETRY_AFTER_SECONDS: z.coerce.number().int().min(1).default(1).describe('Retry-After of a refused request'),
};

export interface AdmissionConfig {
  ADMISSION_MAX_CONCURRENT: number;
  ADMISSION_MAX_QUEUE: number;
  ADMISSION_MAX_QUEUE_MS: number;
  ADMISSION_RETRY_AFTER_SECONDS: number;
  DEFAULT_LOCALE: Locale;
}

interface Waiting {
  admit: () => void;
  shed: () => void;
}

export type ShedCause = 'queue_full' | 'queue_timeout';

/**
 * A FIFO semaphore in front of GraphQL execution. A slot is held from admission until the response is finished or
 * the client went away; a client that leaves while queued gives its place up.
 */
export class AdmissionControl {
  private running = 0;
  private readonly queue: Waiting[] = [];
  private readonly shedCounts: Record<ShedCause, number> = { queue_full: 0, queue_timeout: 0 };

  constructor(private readonly config: AdmissionConfig) {}

  get enabled(): boolean {
    return this.config.ADMISSION_MAX_CONCURRENT > 0;
  }

  /** What /health/details shows; overload is `degraded`, never `down`: the gateway still answers. */
  snapshot() {
    const saturated = this.enabled && this.queue.length > 0;
    return {
      status: saturated ? ('degraded' as const) : ('up' as const),
      running: this.running,
      queued: this.queue.length,
      maxConcurrent: this.config.ADMISSION_MAX_CONCURRENT,
      maxQueue: this.config.ADMISSION_MAX_QUEUE,
      maxQueueMs: this.config.ADMISSION_MAX_QUEUE_MS,
      shed: { ...this.shedCounts },
    };
  }

  middleware(): RequestHandler {
    return (req: Request, res: Response, next: NextFunction) => {
      // Preflights and the IDE's page cost nothing worth queueing for.
      if (!this.enabled || req.method === 'OPTIONS' || (req.method === 'GET' && !req.query.query)) {
        next();
        return;
      }
      if (this.running < this.config.ADMISSION_MAX_CONCURRENT) {
        this.hold(res);
        next();
        return;
      }
      if (this.queue.length >= this.config.ADMISSION_MAX_QUEUE) {
        this.refuse(req, res, 'queue_full');
        return;
      }
      this.enqueue(req, res, next);
    };
  }

  private enqueue(req: Request, res: Response, next: NextFunction): void {
    const queuedAt = process.hrtime.bigint();
    const leave = () => {
      clearTimeout(timer);
      const index = this.queue.indexOf(waiting);
      if (index >= 0) this.queue.splice(index, 1);
      this.report();
    };
    const waiting: Waiting = {
      admit: () => {
        leave();
        res.off('close', leave);
        admissionQueueWait.observe(Number(process.hrtime.bigint() - queuedAt) / 1e9);
        this.hold(res);
        next();
      },
      shed: () => {
        leave();
        this.refuse(req, res, 'queue_timeout');
      },
    };
    const timer = setTimeout(waiting.shed, this.config.ADMISSION_MAX_QUEUE_MS);
    res.once('close', leave);
    this.queue.push(waiting);
    this.report();
  }

  private hold(res: Response): void {
    this.running += 1;
    this.report();
    let released = false;
    const release = () => {
      if (released) return;
      released = true;
      this.running -= 1;
      this.queue[0]?.admit();
      this.report();
    };
    res.once('finish', release);
    res.once('close', release);
  }

  private refuse(req: Request, res: Response, cause: ShedCause): void {
    this.shedCounts[cause] += 1;
    shedRequests.inc({ cause });
    if (res.headersSent || res.destroyed) return;
    const retryAfterSeconds = this.config.ADMISSION_RETRY_AFTER_SECONDS;
    const locale = negotiateLocale(req.header('accept-language'), this.config.DEFAULT_LOCALE);
    const error = localizeError(
      {
        message: `The gateway is busy; retry in ${retryAfterSeconds} s`,
        extensions: { code: ErrorCode.SERVICE_UNAVAILABLE, service: 'gateway', retryable: true, retryAfterSeconds },
      },
      locale,
    );
    res
      .status(503)
      .setHeader('retry-after', String(retryAfterSeconds))
      .json({ errors: [error] });
  }

  private report(): void {
    admissionRequests.set({ state: 'running' }, this.running);
    admissionRequests.set({ state: 'queued' }, this.queue.length);
  }
}
