#!/usr/bin/env bash
# Fetches the official AsyncAPI JSON Schemas (npm package @asyncapi/specs) into build/asyncapi-specs,
# once; prints the directory holding the schemas. Used by tests/unit/test_asyncapi.py.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
DEST="$ROOT/build/asyncapi-specs"  # git-ignored (.state may be shared with the services)
if [ ! -f "$DEST/package/schemas/3.0.0.json" ]; then
  mkdir -p "$DEST"
  TARBALL="$(cd "$DEST" && npm pack --silent '@asyncapi/specs@6' | tail -n 1)"
  tar -xzf "$DEST/$TARBALL" -C "$DEST"
fi
echo "$DEST/package/schemas"
