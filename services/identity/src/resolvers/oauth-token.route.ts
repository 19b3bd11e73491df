import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Logger } from '@taoyuan/service-kit';
import { OAuthError, type ClientCredentialsService } from '../domain/client-credentials.service';

/** A token request is a few hundred bytes; anything much larger is not one. */
const MAX_FORM_BYTES = 4096;

async function readForm(req: IncomingMessage): Promise<Record<string, unknown>> {
  const type = (req.headers['content-type'] ?? '').split(';')[0].trim().toLowerCase();
  if (type !== 'application/x-www-form-urlencoded')
    throw new OAuthError('invalid_request', 'The body must be application/x-www-form-urlencoded');
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_FORM_BYTES) throw new OAuthError('invalid_request', 'The body is too large');
    chunks.push(chunk);
  }
  const form: Record<string, unknown> = {};
  for (const [name, value] of new URLSearchParams(Buffer.concat(chunks).toString('utf8'))) {
    const previous = form[name];
    form[name] = previous === undefined ? value : [previous, value].flat();
  }
  return form;
}

function answer(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  // RFC 6749 §5.1: token responses must never be cached.
  res.writeHead(status, {
    'content-type': 'application/json;charset=UTF-8',
    'cache-control': 'no-store',
    pragma: 'no-cache',
    ...headers,
  });
  res.end(JSON.stringify(body));
}

/** `POST /oauth/token`: the client-credentials grant (RFC 6749 §4.4), answered in the RFC's JSON shapes. */
export function oauthTokenRoute(service: ClientCredentialsService, logger: Logger) {
  return (req: IncomingMessage, res: ServerResponse): void => {
    readForm(req)
      .then((form) => service.grant({ authorization: req.headers.authorization, form }))
      .then(
        (token) => answer(res, 200, token),
        (error: unknown) => {
          if (error instanceof OAuthError) {
            answer(
              res,
              error.status,
              { error: error.error, error_description: error.description },
              error.status === 401 ? { 'www-authenticate': 'Basic realm="taoyuan", charset="UTF-8"' } : {},
            );
            return;
          }
          logger.error({ err: error }, 'token request failed');
          answer(res, 500, { error: 'server_error' });
        },
      );
  };
}
