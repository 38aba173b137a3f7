#!/usr/bin/env bash
# Quick start, step 2: build (installing what is missing) and run the whole test suite twice: an
# optimised build with warnings as errors, and a build under AddressSanitizer + UBSan.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
"$root/scripts/install-deps.sh"
jobs=$(nproc)

run_suite() {
  local name=$1; shift
  echo "=== $name build ==="
  cmake -S "$root" -B "$root/build/$name" -DPRM_MOCK_WERROR=ON -DPRM_MOCK_TESTS=ON "$@" >/dev/null
  cmake --build "$root/build/$name" -j "$jobs"
  echo "=== $name tests ==="
  ctest --test-dir "$root/build/$name" --output-on-failure -j "$jobs" --timeout 300
}

run_suite release -DCMAKE_BUILD_TYPE=RelWithDebInfo
ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
  run_suite sanitize -DCMAKE_BUILD_TYPE=Debug -DPRM_MOCK_SANITIZE=ON

# Once, after both suites: build the container image and smoke-test it (tests/container/smoke).
# PRM_MOCK_SKIP_CONTAINER=1 skips it where podman cannot run (not root, no Debian mirror).
if [ "${PRM_MOCK_SKIP_CONTAINER:-0}" != 1 ]; then
  echo "=== container smoke ==="
  "$root/tests/container/smoke" "$root/build"
fi
