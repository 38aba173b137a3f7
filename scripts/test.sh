#!/usr/bin/env bash
# Quick start, step 2, and CI (.ci/run): build (installing what is missing) and run every check.
# Two builds, each compiling the library once, and the container:
#
#   tsan  GCC, warnings as errors, ThreadSanitizer (-O1): the whole suite but the client
#         compatibility tests (labels vendor-snippets and browser: the vendor's snippets in six
#         languages and the inspector page in Chromium), including the example project built
#         against the installed package. Those two check what a client sees, which no sanitizer
#         changes; the requests they make are the ones the doctest and e2e tests make under TSan
#         already, so they run once, in the ASan suite.
#   asan  clang, warnings as errors, ASan + UBSan + libFuzzer coverage: the whole suite, including
#         each fuzz target replaying its seeds, then each fuzz target for PRM_MOCK_FUZZ_SECONDS
#         (default 20) seconds, two at a time (scripts/fuzz.sh).
#   container smoke: the image builds, serves and stops cleanly (tests/container/smoke). It runs
#         in the background, beside the two builds, at a lower CPU priority: most of a cold run is
#         downloads (podman, the base system, the image's packages), which cost no CPU, and the
#         image's compile then takes the cores only when the sanitizer phases leave them idle.
#         One phase after the other, a cold run took 13 minutes; beside the rest, the container's
#         time is hidden behind the other phases (CONTRIBUTING.md, "CI phases").
#
# Why two builds and not three (a plain optimised one besides): on the 2-core CI machine a build
# of the library and tests costs minutes, the suites under TSan and ASan pass whole, and a third
# build would push CI past its 15-minute budget; CONTRIBUTING.md, "CI phases", has the
# numbers. Each phase prints its time.
#
# PRM_MOCK_BUILD_ROOT: where the build directories go (default build/). PRM_MOCK_SKIP_FUZZ=1
# skips the timed fuzzing, PRM_MOCK_SKIP_CONTAINER=1 the container (it needs root and podman).
# PRM_MOCK_FUZZ_SECONDS: seconds per fuzz target (default 20).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build_root=${PRM_MOCK_BUILD_ROOT:-$root/build}
jobs=$(nproc)
timings=()

phase() {
  local name=$1; shift
  local start=$SECONDS
  echo "=== $name ==="
  "$@"
  timings+=("$(printf '%-28s %4d s' "$name" $((SECONDS - start)))")
}

configure() {
  local dir=$1; shift
  local launcher=()
  command -v ccache >/dev/null && launcher=(-DCMAKE_CXX_COMPILER_LAUNCHER=ccache)
  # A build directory made by the Makefile generator (before CI used Ninja) cannot switch.
  if [ -f "$build_root/$dir/CMakeCache.txt" ] &&
     ! grep -q '^CMAKE_GENERATOR:INTERNAL=Ninja$' "$build_root/$dir/CMakeCache.txt"; then
    rm -rf "${build_root:?}/$dir"
  fi
  # Unity builds compile the ~120 library and ~80 test sources 16 to a translation unit
  # (CMakeLists.txt): most of a compile is the same RapidJSON/valijson/doctest templates
  # instantiated again in every file, and a cold CI build spends a fraction of the CPU time this
  # way. (So no two sources may give file-local helpers the same name: the build then fails, or
  # worse, picks another file's overload.) Ninja starts the tests' compiles while the library's
  # last ones still run.
  cmake -G Ninja -S "$root" -B "$build_root/$dir" -DPRM_MOCK_WERROR=ON -DPRM_MOCK_TESTS=ON \
        -DCMAKE_UNITY_BUILD=ON "${launcher[@]}" "$@" >/dev/null
}

build() { cmake --build "$build_root/$1" -j "$jobs"; }

# PRM_MOCK_CTEST_ARGS adds ctest arguments, e.g. "-R journal" or "-E server.test_hostile" (split on spaces).
# shellcheck disable=SC2086
run_suite() {
  local dir=$1; shift
  ctest --test-dir "$build_root/$dir" --output-on-failure -j "$jobs" --timeout 300 "$@" \
        ${PRM_MOCK_CTEST_ARGS:-}
}

phase "install dependencies" "$root/scripts/install-deps.sh"

# The container smoke, in the background from here (after install-deps: both may run apt-get,
# which takes a lock). Its output goes to a log, shown once it has ended; its status counts like a
# phase's. It runs in a process group of its own (setsid), so that if the script stops early the
# smoke and the podman command it is waiting for are stopped together, by that group's ID; its
# trap then removes its container.
container_pid=
container_log=$build_root/container-smoke.log
if [ "${PRM_MOCK_SKIP_CONTAINER:-0}" != 1 ]; then
  mkdir -p "$build_root"
  setsid nice -n 10 "$root/tests/container/smoke" "$build_root" >"$container_log" 2>&1 &
  container_pid=$!
  echo "=== container smoke: started in the background (log: $container_log) ==="
  trap '[ -z "$container_pid" ] || kill -TERM -- "-$container_pid" 2>/dev/null || true' EXIT
fi

configure test-tsan -DCMAKE_CXX_COMPILER=g++ -DCMAKE_BUILD_TYPE=RelWithDebInfo -DPRM_MOCK_TSAN=ON
phase "tsan build (gcc)" build test-tsan
# The suppressions cover only what TSan cannot judge inside Debian's uninstrumented cpp-httplib
# and OpenSSL (see the file); exit code 66 marks any other report.
TSAN_OPTIONS="suppressions=$root/cmake/tsan-suppressions.txt:second_deadlock_stack=1" \
  phase "tsan suite" run_suite test-tsan -LE "^(browser|vendor-snippets)$"

configure test-asan -DCMAKE_CXX_COMPILER=clang++ -DCMAKE_BUILD_TYPE=Debug -DPRM_MOCK_FUZZ=ON
phase "asan build (clang, fuzz)" build test-asan
export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
phase "asan suite" run_suite test-asan
if [ "${PRM_MOCK_SKIP_FUZZ:-0}" != 1 ]; then
  PRM_MOCK_FUZZ_BUILD=$build_root/test-asan PRM_MOCK_FUZZ_SKIP_BUILD=1 \
    phase "fuzzing" "$root/scripts/fuzz.sh" "${PRM_MOCK_FUZZ_SECONDS:-20}"
fi

container_status=0
if [ -n "$container_pid" ]; then
  echo "=== container smoke (waiting for the background run) ==="
  waited_from=$SECONDS
  wait "$container_pid" || container_status=$?
  container_pid=
  cat "$container_log"
  # Its own duration (it prints it), and how long the script waited for it once all else was done.
  took=$(sed -n 's/^container smoke took \([0-9]*\)s$/\1/p' "$container_log")
  timings+=("$(printf '%-28s %4s s, of which %d s after the rest' "container smoke (background)" \
    "${took:-?}" $((SECONDS - waited_from)))")
fi

echo "=== phase times ==="
printf '%s\n' "${timings[@]}"
printf '%-28s %4d s\n' "total" "$SECONDS"
if [ "$container_status" -ne 0 ]; then
  echo "test.sh: the container smoke failed (exit $container_status; its output is above)" >&2
  exit "$container_status"
fi
