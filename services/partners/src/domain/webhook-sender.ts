import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import http from 'node:http';
import https from 'node:https';
import { isIP, type LookupFunction } from 'node:net';
import type { AddressPolicy } from './address-policy';

/** At most this much of a response is kept (the delivery log shows it to the partner). */
export const MAX_KEPT_RESPONSE_BYTES = 1024;
/** Redirects followed, each checked like the first URL. */
export const MAX_REDIRECTS = 3;

export class UnsafeUrlError extends Error {}

export interface SendResult {
  /** HTTP status of the final response; null when no response came (refused, timed out, unsafe). */
  status: number | null;
  ok: boolean;
  latencyMs: number;
  /** The first kilobyte of the response body, or what went wrong. */
  response: string;
  error: string | null;
}

/** http(s) only, no credentials in the URL, and a host name or an address the policy allows. */
export function checkUrlShape(raw: string, policy: AddressPolicy): URL {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new UnsafeUrlError('not a valid URL');
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new UnsafeUrlError('only http and https URLs');
  if (url.username || url.password) throw new UnsafeUrlError('credentials in the URL are not allowed');
  const host = url.hostname.replace(/^\[|\]$/g, '');
  if (isIP(host) && !policy.hostAllowed(host) && !policy.addressAllowed(host))
    throw new UnsafeUrlError(`the address ${host} is not reachable for webhooks`);
  return url;
}

/**
 * Resolves a host and keeps only addresses the policy allows. Used as the socket's `lookup`, so the address checked
 * is the very address connected to: a DNS answer that changes between a check and the connection (DNS rebinding)
 * gains nothing.
 */
export function safeLookup(policy: AddressPolicy): LookupFunction {
  return (hostname, options, callback) => {
    dnsLookup(hostname, { ...options, all: true }, (error, addresses: LookupAddress[]) => {
      if (error) return callback(error, '', 0);
      const allowed = policy.hostAllowed(hostname)
        ? addresses
        : addresses.filter((entry) => policy.addressAllowed(entry.address));
      if (allowed.length === 0)
        return callback(new UnsafeUrlError(`${hostname} resolves only to addresses unreachable for webhooks`), '', 0);
      if (options.all) return (callback as (e: null, a: LookupAddress[]) => void)(null, allowed);
      return callback(null, allowed[0].address, allowed[0].family);
    });
  };
}

/** Checks a URL up front (at endpoint creation): its shape, and every address its host resolves to now. */
export async function checkUrl(raw: string, policy: AddressPolicy): Promise<URL> {
  const url = checkUrlShape(raw, policy);
  const host = url.hostname.replace(/^\[|\]$/g, '');
  if (isIP(host) || policy.hostAllowed(host)) return url;
  const addresses = await new Promise<LookupAddress[]>((resolve, reject) =>
    dnsLookup(host, { all: true }, (error, found) =>
      error ? reject(new UnsafeUrlError(error.message)) : resolve(found),
    ),
  );
  const refused = addresses.find((entry) => !policy.addressAllowed(entry.address));
  if (refused) throw new UnsafeUrlError(`${host} resolves to ${refused.address}, not reachable for webhooks`);
  return url;
}

interface OneResponse {
  status: number;
  location: string | undefined;
  body: string;
}

function requestOnce(
  url: URL,
  headers: Record<string, string>,
  body: string,
  policy: AddressPolicy,
  signal: AbortSignal,
) {
  return new Promise<OneResponse>((resolve, reject) => {
    const client = url.protocol === 'https:' ? https : http;
    const request = client.request(
      url,
      {
        method: 'POST',
        headers: { ...headers, 'content-length': String(Buffer.byteLength(body)) },
        lookup: safeLookup(policy),
        // No pooled sockets: every request resolves and checks its address afresh.
        agent: false,
        signal,
      },
      (response) => {
        const chunks: Buffer[] = [];
        let kept = 0;
        response.on('data', (chunk: Buffer) => {
          if (kept < MAX_KEPT_RESPONSE_BYTES) {
            chunks.push(chunk.subarray(0, MAX_KEPT_RESPONSE_BYTES - kept));
            kept += Math.min(chunk.length, MAX_KEPT_RESPONSE_BYTES - kept);
          }
          // The rest is not wanted: stop reading rather than let a partner stream gigabytes at us.
          if (kept >= MAX_KEPT_RESPONSE_BYTES) response.destroy();
        });
        const finish = () =>
          resolve({
            status: response.statusCode ?? 0,
            location: response.headers.location,
            body: Buffer.concat(chunks).toString('utf8'),
          });
        response.on('end', finish);
        response.on('close', finish);
        response.on('error', finish);
      },
    );
    request.on('error', reject);
    request.end(body);
  });
}

/**
 * POSTs a signed webhook: http(s) only, addresses checked at connect time, redirects followed by hand (at most
 * MAX_REDIRECTS, each target checked again; 301–303 keep the POST, as a webhook is not a browser form), a deadline
 * over the whole exchange, and at most a kilobyte of the answer kept.
 */
export async function sendWebhook(
  rawUrl: string,
  headers: Record<string, string>,
  body: string,
  options: { policy: AddressPolicy; timeoutMs: number },
): Promise<SendResult> {
  const started = performance.now();
  const signal = AbortSignal.timeout(options.timeoutMs);
  const done = (result: Omit<SendResult, 'latencyMs'>): SendResult => ({
    ...result,
    latencyMs: Math.round(performance.now() - started),
  });
  try {
    let url = checkUrlShape(rawUrl, options.policy);
    for (let redirects = 0; ; redirects += 1) {
      const response = await requestOnce(url, headers, body, options.policy, signal);
      const redirect = response.status >= 300 && response.status < 400 && response.location;
      if (!redirect) {
        const ok = response.status >= 200 && response.status < 300;
        return done({
          status: response.status,
          ok,
          response: response.body,
          error: ok ? null : `HTTP ${response.status}`,
        });
      }
      if (redirects >= MAX_REDIRECTS)
        return done({ status: response.status, ok: false, response: '', error: 'too many redirects' });
      url = checkUrlShape(new URL(response.location!, url).toString(), options.policy);
    }
  } catch (error) {
    const message =
      error instanceof UnsafeUrlError
        ? `refused: ${error.message}`
        : signal.aborted
          ? `timed out after ${options.timeoutMs} ms`
          : error instanceof Error
            ? error.message
            : String(error);
    return done({ status: null, ok: false, response: '', error: message.slice(0, 300) });
  }
}
