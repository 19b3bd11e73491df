#!/usr/bin/env bash
# pnpm bench: every benchmark of the project, one after another. Numbers depend on the machine; nothing here asserts.
set -euo pipefail
cd "$(dirname "$0")/.."
run() { echo; echo "== $1"; shift; (cd "$1" && shift && node -r @swc-node/register "$@"); }
run "Kafka-protocol development broker: throughput" packages/kafka-broker bench/throughput.ts
run "Outbox relay: commit → publish latency" packages/events bench/outbox-latency.ts 300
run "Gateway: requests per second" packages/local-stack bench/gateway-load.ts 10 10
