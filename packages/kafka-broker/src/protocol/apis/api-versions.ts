import { ApiKey, type ApiDefinition } from '../api';
import { ErrorCode } from '../error-codes';

/** Filled in by the registry (apis/index.ts) to avoid a circular import. */
export const advertisedApis: { apiKey: number; minVersion: number; maxVersion: number }[] = [];

const FIRST_FLEXIBLE = 3;

/**
 * ApiVersions v0–3 as KIP-511 asks. A client asking with a newer version (Kafka 4 clients send v4) gets
 * UNSUPPORTED_VERSION in the v0 layout, which every client can read, together with the list, so it retries with a
 * version we speak; v3 is flexible in its body but its response header stays v0.
 */
export const apiVersionsApi: ApiDefinition = {
  apiKey: ApiKey.ApiVersions,
  name: 'ApiVersions',
  minVersion: 0,
  maxVersion: 3,
  flexibleFrom: FIRST_FLEXIBLE,
  handle(request, { apiVersion, response }) {
    const unsupported = apiVersion > 3;
    if (apiVersion >= FIRST_FLEXIBLE && !unsupported) {
      request.string(); // client software name and version: only for the client's own metrics in Kafka
      request.string();
      request.tags();
    }
    const writer = response()
      .int16(unsupported ? ErrorCode.UNSUPPORTED_VERSION : ErrorCode.NONE)
      .array(advertisedApis, (w, api) => w.int16(api.apiKey).int16(api.minVersion).int16(api.maxVersion).tags());
    if (apiVersion >= 1 && !unsupported) writer.int32(0);
    return writer.tags();
  },
};
