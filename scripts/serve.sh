#!/usr/bin/env bash
# Quick start, step 1: build (installing what is missing) and run the mock on
# http://127.0.0.1:4010/api with its embedded contract. Extra arguments go to prm-mock.
#
# A first build takes minutes: it says so, and shows the build's progress (or the compiler's
# errors), so that it cannot be mistaken for a hang. With the binary up to date it prints nothing
# of its own. PRM_MOCK_BUILD_ROOT moves the build directory (default build/, this uses serve/).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=${PRM_MOCK_BUILD_ROOT:-$root/build}/serve
# Roughly what a cold Release build of prm-mock costs, in CPU seconds (a unity build: 141 s on
# the 2-core CI machine); the estimate divides it among the cores.
cold_build_cpu_seconds=150

say() { echo "serve.sh: $*" >&2; }

"$root/scripts/install-deps.sh"

# Ninja, whose "[step/steps]" lines are the progress shown below. A directory left by the Makefile
# generator (earlier versions of this script) cannot switch, so it starts again.
if [ -f "$build/CMakeCache.txt" ] && ! grep -q '^CMAKE_GENERATOR:INTERNAL=Ninja$' "$build/CMakeCache.txt"; then
  rm -rf "$build"
fi
if [ ! -f "$build/build.ninja" ]; then
  launcher=()
  command -v ccache >/dev/null && launcher=(-DCMAKE_CXX_COMPILER_LAUNCHER=ccache)
  # Its output is only interesting when it fails.
  if ! configure_output=$(cmake -G Ninja -S "$root" -B "$build" -DCMAKE_BUILD_TYPE=Release \
        -DPRM_MOCK_TESTS=OFF -DCMAKE_UNITY_BUILD=ON "${launcher[@]}" 2>&1); then
    echo "$configure_output" >&2
    say "configuring the build in $build failed (cmake's output is above)"
    exit 1
  fi
fi

announce_build() {
  if [ -x "$build/prm-mock" ]; then
    say "rebuilding prm-mock (sources changed): seconds to a minute"
  else
    local cores
    cores=$(nproc)
    say "building prm-mock (Release) in $build; the first build takes about" \
        "$(((cold_build_cpu_seconds / cores + 59) / 60)) min on $cores cores. Progress:"
  fi
}

# Whether there is anything to build is known only once ninja has started (a dry run always sees
# the check of the source globs as work), so its output is held back until its first real step:
# then the announcement, and everything from there on (progress, compiler errors) on stderr,
# stdout being prm-mock's. An up-to-date build says only "no work to do", which is dropped.
start=$SECONDS
announced=false
held=()
status=
while IFS= read -r line; do
  if [[ $line =~ ^serve.sh-build-status\ ([0-9]+)$ ]]; then
    status=${BASH_REMATCH[1]}
  elif $announced; then
    echo "$line" >&2
  elif [[ $line == *'Re-checking globbed directories'* || $line == 'ninja: no work to do.' ]]; then
    continue
  elif [[ $line =~ ^\[[0-9]+/[0-9]+\]\  ]]; then
    announce_build
    announced=true
    echo "$line" >&2
  else
    held+=("$line")
  fi
done < <(cmake --build "$build" --target prm-mock -j "$(nproc)" 2>&1; echo "serve.sh-build-status $?")
if [ "$status" != 0 ]; then
  [ ${#held[@]} -eq 0 ] || printf '%s\n' "${held[@]}" >&2
  say "the build failed: the compiler's errors are above"
  exit 1
fi
$announced && say "built in $((SECONDS - start)) s; starting prm-mock"
exec "$build/prm-mock" "$@"
