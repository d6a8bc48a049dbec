#!/usr/bin/env bash
# A board in a box: everything a Raspberry Pi 5 or Jetson Orin Nano user runs, on a machine that is neither. The
# board's recorded tree (device tree, cpufreq, thermal, nvpmodel) answers `edgelm device --root`; its recorded power
# sensor (the Pi 5 PMIC through a replayed `vcgencmd pmic_read_adc`, the Orin's INA3221 VDD_IN rail) measures the
# quick plan's energy through $EDGELM_POWER_ROOT; then the summary with its trade-offs, the cost against the cloud
# (the catalog's price for the board) and the HTML report. Every step's output is checked; the last line says PASS.
# The recorded power is constant, so the plan measures gross energy (no idle baseline: net would be zero).
# Usage: tests/BoardInABox/run.sh pi5|orin [WORKDIR]   (EDGELM_CLI: the edgelm to run, default ./edgelm)
# EDGELM_BOX_EMULATED=1 (the arm64 release under qemu-user, about 30 s a run here): the quick plan keeps its models
# and lengths but runs each once, at 2 threads, with no warm-up, so the box fits CI.
set -euo pipefail
repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
board="${1:?usage: run.sh pi5|orin [WORKDIR]}"
work="${2:-$(mktemp -d)}"
read -r -a cli <<<"${EDGELM_CLI:-$repo/edgelm}"
say() { printf 'board-in-a-box %s: %s\n' "$board" "$*" >&2; }
die() { say "FAIL: $*"; exit 1; }

case "$board" in
  pi5)
    power="$repo/tests/Fixtures/energy/raspberry-pi-5"; tree="$repo/tests/Fixtures/devices/raspberry-pi-5-8gb"
    name="Raspberry Pi 5 8GB"; source="pi5:pmic"; scope="board-rails" ;;
  orin)
    power="$repo/tests/Fixtures/energy/jetson-orin-nano-jp6"; tree="$repo/tests/Fixtures/devices/jetson-orin-nano-jp6"
    name="Jetson Orin Nano Developer Kit 8GB"; source="jetson:VDD_IN"; scope="module-input" ;;
  *) die "unknown board '$board' (pi5 or orin)" ;;
esac

mkdir -p "$work"
export EDGELM_DEVICE_NAME="$name" EDGELM_POWER_ROOT="$power"
[ -d "$power/bin" ] && export PATH="$power/bin:$PATH"

# The quick plan, as shipped, with energy: what the README tells a board owner to run first.
plan="$work/quick-energy.yaml"
sed '/^output:/d; /^modelCache:/d' "$repo/examples/quick.yaml" >"$plan"
printf 'energy: true\nbaselineSeconds: 0\nmodelCache: %s\n' "$repo/out/models" >>"$plan"
if [ "${EDGELM_BOX_EMULATED:-0}" = 1 ]; then
  sed -i 's/^threads:.*/threads: [2]/; s/^repetitions:.*/repetitions: 1/; s/^warmups:.*/warmups: 0/' "$plan"
fi

"${cli[@]}" device --root "$tree" --format json >"$work/profile.json" || die "edgelm device --root $tree"
grep -q '"CpuModel":"[^"]' "$work/profile.json" || die "the profile names no CPU: $(head -c 300 "$work/profile.json")"

"${cli[@]}" bench --plan "$plan" --out "$work/runs.jsonl" --format json >/dev/null || die "edgelm bench"
runs="$(grep -c '"RunId"' "$work/runs.jsonl")"
[ "$runs" -gt 0 ] || die "no runs in $work/runs.jsonl"
[ "$(grep -c "\"DeviceName\":\"$name\"" "$work/runs.jsonl")" -eq "$runs" ] || die "runs not named $name"
[ "$(grep -c "\"EnergySource\":\"$source\",\"EnergyScope\":\"$scope\"" "$work/runs.jsonl")" -eq "$runs" ] ||
  die "runs not measured by $source ($scope): $(grep -o '"EnergySource":[^,]*' "$work/runs.jsonl" | sort | uniq -c)"
grep -o '"JoulesPerToken":[^,]*' "$work/runs.jsonl" | grep -vq '"JoulesPerToken":[0-9]' && die "a run has no positive energy per token"

"${cli[@]}" summary --in "$work/runs.jsonl" --format csv >"$work/summary.csv" || die "edgelm summary"
head -1 "$work/summary.csv" | grep -q 'EnergyThroughputTradeoffMedian' || die "the summary has no S_t"
head -1 "$work/summary.csv" | grep -q 'ParetoSpeedEnergy' || die "the summary has no speed-energy front"

"${cli[@]}" cost --in "$work/runs.jsonl" --cloud-model gpt-4o-mini --format csv >"$work/cost.csv" || die "edgelm cost"
grep -q ",$name," "$work/cost.csv" || grep -q "$name" "$work/cost.csv" || die "the cost names no board"
grep -q ',measured,' "$work/cost.csv" || die "the cost is not at the measured power"

"${cli[@]}" report --in "$work/runs.jsonl" --profile "$work/profile.json" --out "$work/report.html" || die "edgelm report"
for section in environment speed latency memory tradeoffs cost quality configurations; do
  grep -q "<h2 id=\"$section\">" "$work/report.html" || die "the report has no $section section"
done

say "$runs runs on '$name', energy from $source ($scope), summary, cost and report in $work: PASS"
