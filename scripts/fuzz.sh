#!/usr/bin/env bash
# Runs the libFuzzer targets in fuzz/ for a bounded time each, under ASan + UBSan.
#
#   scripts/fuzz.sh [seconds-per-target] [target...]     default: 20 s, all four targets
#
# CI (scripts/test.sh) runs it with 20 s per target; for a real hunt run it longer, e.g.
#   PRM_MOCK_FUZZ_CORPUS=build/fuzz-corpus scripts/fuzz.sh 1800 request_path
# Each target starts from its seeds in fuzz/corpus/<target>/, which are only read: new inputs go
# to a scratch directory (or to $PRM_MOCK_FUZZ_CORPUS/<target>, kept between runs). A finding
# stops that target, leaves the input in $build/fuzz-artifacts/ and makes the script fail; turn
# it into a seed and a test beside the others of its subject once fixed (CONTRIBUTING.md).
#
# Environment: PRM_MOCK_FUZZ_BUILD (build directory, default build/fuzz), PRM_MOCK_FUZZ_JOBS
# (targets run at once, default 2), PRM_MOCK_FUZZ_SKIP_BUILD=1 (the build is already up to date).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
seconds=${1:-20}
shift || true
targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=(request_path fixture_loader template_renderer contract_loader)
build=${PRM_MOCK_FUZZ_BUILD:-$root/build/fuzz}
jobs=${PRM_MOCK_FUZZ_JOBS:-2}

if [ "${PRM_MOCK_FUZZ_SKIP_BUILD:-0}" != 1 ]; then
  "$root/scripts/install-deps.sh"
  launcher=()
  command -v ccache >/dev/null && launcher=(-DCMAKE_CXX_COMPILER_LAUNCHER=ccache)
  cmake -S "$root" -B "$build" -DCMAKE_CXX_COMPILER=clang++ -DCMAKE_BUILD_TYPE=Debug \
        -DPRM_MOCK_FUZZ=ON -DPRM_MOCK_TESTS=ON "${launcher[@]}" >/dev/null
  cmake --build "$build" -j "$(nproc)" --target "${targets[@]/#/fuzz_}"
fi

scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
artifacts=$build/fuzz-artifacts
mkdir -p "$artifacts"

# Longer inputs reach deeper nesting and longer strings; the template target splits its input
# three ways, so it needs less.
max_len_of() {
  case $1 in
    template_renderer) echo 8192 ;;
    *) echo 32768 ;;
  esac
}

run_target() {
  local target=$1
  local corpus=${PRM_MOCK_FUZZ_CORPUS:-$scratch/corpus}/$target
  mkdir -p "$corpus"
  cat "$root/fuzz/dict/json.dict" > "$scratch/$target.dict"
  case $target in
    request_path) cat "$root/fuzz/dict/request_path.dict" >> "$scratch/$target.dict" ;;
    fixture_loader | template_renderer) cat "$root/fuzz/dict/fixture.dict" >> "$scratch/$target.dict" ;;
    contract_loader) cat "$root/fuzz/dict/contract.dict" >> "$scratch/$target.dict" ;;
  esac
  # The first directory receives new inputs; the repository's seeds come second, read only.
  UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 PRM_MOCK_FUZZ_HISTORY_DIR=$artifacts \
    "$build/fuzz/fuzz_$target" -max_total_time="$seconds" -timeout=30 -rss_limit_mb=2560 \
      -max_len="$(max_len_of "$target")" -dict="$scratch/$target.dict" -print_final_stats=1 \
      -artifact_prefix="$artifacts/$target-" "$corpus" "$root/fuzz/corpus/$target" \
      >"$scratch/$target.log" 2>&1
}

summary() {
  local target=$1 status=$2 log=$scratch/$1.log
  local last runs speed
  last=$(grep -E '^#[0-9]+' "$log" | tail -n 1 || true)
  runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log")
  speed=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log")
  printf '%-18s %-6s runs=%-9s exec/s=%-6s %s\n' "$target" "$status" "${runs:-?}" "${speed:-?}" \
    "$(sed -E 's/.*(cov: [0-9]+ ft: [0-9]+ corp: [0-9]+\/[^ ]+).*/\1/' <<<"$last")"
}

echo "=== fuzzing ${targets[*]} for ${seconds}s each, $jobs at a time ==="
declare -A pid_of=()
failed=()
wait_one() {
  local finished status target
  set +e
  wait -n -p finished "${pid_of[@]}"
  status=$?
  set -e
  for target in "${!pid_of[@]}"; do
    [ "${pid_of[$target]}" = "$finished" ] || continue
    unset "pid_of[$target]"
    if [ "$status" -eq 0 ]; then
      summary "$target" ok
    else
      summary "$target" FAILED
      failed+=("$target")
      cp "$scratch/$target.log" "$artifacts/$target.log"
      echo "--- $target: last lines of its log (all of it and the input in $artifacts) ---"
      tail -n 60 "$scratch/$target.log"
    fi
  done
}
for target in "${targets[@]}"; do
  [ -x "$build/fuzz/fuzz_$target" ] || { echo "fuzz.sh: no target fuzz_$target in $build" >&2; exit 2; }
  while [ ${#pid_of[@]} -ge "$jobs" ]; do wait_one; done
  run_target "$target" &
  pid_of[$target]=$!
done
while [ ${#pid_of[@]} -gt 0 ]; do wait_one; done

if [ ${#failed[@]} -gt 0 ]; then
  echo "fuzz.sh: findings in ${failed[*]}" >&2
  exit 1
fi
