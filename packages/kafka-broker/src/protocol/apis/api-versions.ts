import { ApiKey, type ApiDefinition } from '../api';
import { ErrorCode } from '../error-codes';
import { Writer } from '../writer';

/** Filled in by the registry (apis/index.ts) to avoid a circular import. */
export const advertisedApis: { apiKey: number; minVersion: number; maxVersion: number }[] = [];

/**
 * ApiVersions v0–2. A newer client asking with v3+ gets UNSUPPORTED_VERSION in the v0 layout (which it can always
 * read), together with the list, so it can retry with a version we speak — that is how Kafka negotiates too.
 */
export const apiVersionsApi: ApiDefinition = {
  apiKey: ApiKey.ApiVersions,
  name: 'ApiVersions',
  minVersion: 0,
  maxVersion: 2,
  handle(_request, { apiVersion }) {
    const unsupported = apiVersion > 2;
    const response = new Writer()
      .int16(unsupported ? ErrorCode.UNSUPPORTED_VERSION : ErrorCode.NONE)
      .array(advertisedApis, (writer, api) => writer.int16(api.apiKey).int16(api.minVersion).int16(api.maxVersion));
    if (apiVersion >= 1 && !unsupported) response.int32(0);
    return response;
  },
};
