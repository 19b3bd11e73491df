#!/bin/sh
# Trims a `pnpm deploy --prod` folder to what `node dist/main.js` loads: the image's only application files.
# Usage: prune-deploy.sh <deployed folder>. Used by infra/Dockerfile; run it by hand to measure an image's payload.
set -eu
dir=${1:?usage: prune-deploy.sh <deployed folder>}
cd "$dir"
# The process's own TypeScript, tests and benchmarks: production runs dist/ (the taoyuan-build condition).
rm -rf src test bench tsconfig.json
# The gateway's GraphiQL sources: `pnpm build` bundled them into dist/graphiql/, which is what the gateway serves.
rm -rf graphiql
modules=node_modules/.pnpm
# The same for the workspace packages it depends on (@taoyuan/service-kit, …): their dist/ is what loads.
rm -rf "$modules"/@taoyuan+*/node_modules/@taoyuan/*/src "$modules"/@taoyuan+*/node_modules/@taoyuan/*/test \
  "$modules"/@taoyuan+*/node_modules/@taoyuan/*/scripts "$modules"/@taoyuan+*/node_modules/@taoyuan/*/bench
# typeorm's browser build (about 15 MB) is for bundlers; Node loads the CommonJS files beside it.
rm -rf "$modules"/typeorm@*/node_modules/typeorm/browser
# Type declarations (including @types packages some runtime packages list as dependencies), source maps, TypeScript
# sources, docs and changelogs of third-party packages: nothing a running process reads. Licences stay. The workspace
# packages (@taoyuan/*) keep their maps, so stack traces point at the TypeScript lines.
find node_modules/ -depth \( -path '*/node_modules/@types/*' -prune \) -exec rm -rf {} +
find node_modules/ -type f -not -path '*/@taoyuan+*' \( -name '*.d.ts' -o -name '*.d.mts' -o -name '*.d.cts' -o -name '*.ts.map' \
  -o -name '*.js.map' -o -name '*.mjs.map' -o -name '*.cjs.map' -o -name '*.md' -o -name '*.markdown' \
  -o -name '*.ts' -o -name '*.mts' -o -name '*.cts' -o -name '.eslintrc*' -o -name '.prettierrc*' \
  -o -name 'tsconfig*.json' \) -delete
