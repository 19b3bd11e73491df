import 'graphiql/style.css';
import { GraphiQL } from 'graphiql';
import { StrictMode, type ComponentProps } from 'react';
import { createRoot } from 'react-dom/client';
import { EXAMPLE_TABS } from './example-operations';

type Fetcher = ComponentProps<typeof GraphiQL>['fetcher'];

/** Monaco's language services run in workers the gateway serves from the same bundle folder: nothing from a CDN. */
(globalThis as unknown as { MonacoEnvironment: unknown }).MonacoEnvironment = {
  getWorker(_workerId: string, label: string) {
    const name = label === 'json' || label === 'graphql' ? label : 'editor';
    return new Worker(new URL(`./${name}.worker.js`, document.baseURI), { type: 'module' });
  },
};

const endpoint = new URL('/graphql', window.location.href).href;

/** A plain POST, as the API's own clients send it; the CSRF-prevention header makes Apollo accept it. */
const fetcher: Fetcher = async (params, options) => {
  const headers: Record<string, string> = {
    'content-type': 'application/json',
    'apollo-require-preflight': 'true',
  };
  for (const [name, value] of Object.entries(options?.headers ?? {})) headers[name.toLowerCase()] = String(value);
  const response = await fetch(endpoint, { method: 'POST', headers, body: JSON.stringify(params) });
  return (await response.json()) as Awaited<ReturnType<Fetcher>>;
};

const root = document.getElementById('graphiql');
if (root) {
  createRoot(root).render(
    <StrictMode>
      <GraphiQL
        fetcher={fetcher}
        defaultTabs={EXAMPLE_TABS}
        isHeadersEditorEnabled
        defaultEditorToolsVisibility="headers"
      />
    </StrictMode>,
  );
}
