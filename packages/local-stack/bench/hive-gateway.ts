import { createServer } from 'node:http';
import { createGatewayRuntime } from '@graphql-hive/gateway';
import { createGatewayCredentialSigner, GATEWAY_CREDENTIAL_HEADER } from '@taoyuan/service-kit';

/**
 * Hive Gateway with its defaults over our supergraph: the peer `pnpm bench:gateways` compares our gateway with. One
 * process, like ours, compiled to JavaScript and run without a TypeScript loader (bench/gateways.ts compiles it).
 * It sends the subgraphs what our gateway sends: the client's Authorization and Accept-Language and the gateway
 * credential per subgraph, without which they answer no `_entities`.
 *   env: PORT, SUPERGRAPH_FILE, GATEWAY_SHARED_SECRET
 */
function required(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is required`);
  return value;
}

const signCredential = createGatewayCredentialSigner(required('GATEWAY_SHARED_SECRET'));

const gateway = createGatewayRuntime({
  supergraph: required('SUPERGRAPH_FILE'),
  propagateHeaders: {
    fromClientToSubgraphs: async ({ request, subgraphName }) => ({
      authorization: request.headers.get('authorization'),
      'accept-language': request.headers.get('accept-language'),
      // The credential's audience is the subgraph's name as composed (lower case), as our gateway signs it.
      [GATEWAY_CREDENTIAL_HEADER]: await signCredential(subgraphName.toLowerCase()),
    }),
  },
});

createServer(gateway).listen(Number(required('PORT')), '127.0.0.1');
// Nothing to drain (the benchmark stops Hive after its last request); exiting, not dying of the signal, lets
// TAOYUAN_CPU_PROF_DIR's --cpu-prof write Hive's profile too.
process.on('SIGTERM', () => process.exit(0));
