#!/usr/bin/env bash
# Quick start, step 1: build (installing what is missing) and run the mock on
# http://127.0.0.1:4010/api with its embedded contract. Extra arguments go to prm-mock.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
"$root/scripts/install-deps.sh"
cmake -S "$root" -B "$root/build/serve" -DCMAKE_BUILD_TYPE=Release -DPRM_MOCK_TESTS=OFF >/dev/null
cmake --build "$root/build/serve" --target prm-mock -j "$(nproc)" >/dev/null
exec "$root/build/serve/prm-mock" "$@"
