#!/bin/bash
# Runs a benchmark program natively and inside the sandbox (`RUNSC do`) and
# prints one table: ns per operation on each side and the ratio sandbox/native.
#
#   bench/compare.sh [OPTIONS] [RUNSC] [-- BENCHMARK_ARGS...]
#
#   RUNSC                    our runsc (default: build/runsc/runsc in this repo)
#   --program=NAME|PATH      auto (default), syscall_bench, static_bench or
#                            process_bench (fork, exec, threads, IPC round
#                            trips, signals), looked up in build/bench/, or a
#                            path to any program
#                            printing Google Benchmark JSON. auto: syscall_bench
#                            (Google Benchmark, dynamically linked) if it is
#                            built and starts in the sandbox (checked with
#                            `RUNSC do syscall_bench --benchmark_list_tests`),
#                            otherwise static_bench
#   --build-dir=DIR          where the build is (default: build/ in this repo)
#   --repeat=N               run each side N times, interleaved, and report the
#                            median of the N results (default 1)
#   --best                   report the fastest of the N runs of each side
#                            instead of the median: on a shared machine the
#                            best run is the one least disturbed by others
#   --gvisor=PATH            also run under another runtime's runsc (e.g.
#                            gVisor's) and add a column; skipped with a note
#                            if PATH is not an executable
#   --gvisor-flags="FLAGS"   its global flags (default: --platform=ptrace
#                            --network=none, plus --rootless when not root)
#   --taskset=CPUS           run every side under `taskset -c CPUS` (e.g. 0:
#                            the sentry and the guest then share one CPU, which
#                            makes each ptrace round trip much cheaper here)
#   --file-size=SIZE         size of the file BM_SeqReadFile reads and
#                            BM_SeqWriteFile writes (exported as
#                            BENCH_FILE_SIZE; e.g. 256M, 1G; default: the
#                            programs' own default, 1 GiB)
#   -- ARGS                  passed to the benchmark program on every run
#                            (e.g. -- --benchmark_filter=Getpid)
#
# Every run gets --benchmark_format=json. The ratio is sandbox ns/op divided by
# native ns/op: 10x means an operation costs ten times as much in the sandbox.
# Benchmarks that report bytes per second (the sequential file I/O, the mmap
# touch ones) are listed again below the table in MiB/s.
#
# Exit status: 0 if the native run succeeded, whatever happened in the sandbox
# (a failed sandboxed run is reported and its column left empty); 1 if the
# native run failed; 2 on bad usage.
set -u

script_dir=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
repo_root=$(cd "$script_dir/.." && pwd)

build_dir=$repo_root/build
program=auto
runsc=
repeat=1
stat=median
gvisor=
gvisor_flags=
gvisor_flags_set=0
program_args=()
taskset_cpus=
file_size=

usage() {
  sed -n '2,/^[^#]/{/^#/{s/^# \{0,1\}//;p}}' "${BASH_SOURCE[0]}" >&2
  exit 2
}

while [[ $# -gt 0 ]]; do
  case $1 in
    --program=*) program=${1#*=} ;;
    --build-dir=*) build_dir=${1#*=} ;;
    --repeat=*) repeat=${1#*=} ;;
    --best) stat=min ;;
    --gvisor=*) gvisor=${1#*=} ;;
    --gvisor-flags=*) gvisor_flags=${1#*=}; gvisor_flags_set=1 ;;
    --taskset=*) taskset_cpus=${1#*=} ;;
    --file-size=*) file_size=${1#*=} ;;
    -h|--help) usage ;;
    --) shift; program_args=("$@"); break ;;
    -*) echo "compare.sh: unknown option $1" >&2; usage ;;
    *)
      if [[ -n $runsc ]]; then
        echo "compare.sh: more than one RUNSC given ($runsc, $1)" >&2
        usage
      fi
      runsc=$1 ;;
  esac
  shift
done

if ! [[ $repeat =~ ^[1-9][0-9]*$ ]]; then
  echo "compare.sh: --repeat wants a positive integer, got '$repeat'" >&2
  exit 2
fi
if [[ -n $file_size ]]; then
  if ! [[ $file_size =~ ^[1-9][0-9]*([KkMmGg]([Ii]?[Bb])?)?$ ]]; then
    echo "compare.sh: --file-size wants a size such as 256M or 1G, got '$file_size'" >&2
    exit 2
  fi
  # Every side inherits it: runsc do passes the caller's environment on.
  export BENCH_FILE_SIZE=$file_size
fi
[[ -n $runsc ]] || runsc=$build_dir/runsc/runsc
if ! command -v python3 >/dev/null; then
  echo "compare.sh: python3 is needed to read the JSON output" >&2
  exit 1
fi
if [[ -n $gvisor && $gvisor_flags_set == 0 ]]; then
  gvisor_flags="--platform=ptrace --network=none"
  [[ $(id -u) == 0 ]] || gvisor_flags+=" --rootless"
fi

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

if [[ $program == auto ]]; then
  # Prefer syscall_bench (Google Benchmark) when the sandbox can run it; a
  # listing of its benchmarks is enough to know that it loads and starts.
  program_path=$build_dir/bench/syscall_bench
  if [[ ! -x $program_path ]]; then
    echo "compare.sh: $program_path is not built; using static_bench" >&2
    program_path=$build_dir/bench/static_bench
  elif [[ -x $runsc ]] &&
       ! "$runsc" "do" "$program_path" --benchmark_list_tests=true >/dev/null 2>"$tmp/probe.err"; then
    echo "compare.sh: syscall_bench does not start under $runsc do; using static_bench." \
      "The attempt's stderr ends with:" >&2
    tail -n 5 "$tmp/probe.err" | sed 's/^/    /' >&2
    program_path=$build_dir/bench/static_bench
  fi
elif [[ $program == */* ]]; then
  program_path=$program
else
  program_path=$build_dir/bench/$program
fi
if [[ ! -x $program_path ]]; then
  echo "compare.sh: $program_path is not built: ninja -C $build_dir $(basename "$program_path")" >&2
  exit 1
fi

args=("${program_args[@]}" --benchmark_format=json)

# run_side LABEL N CMD...: runs CMD ARGS, storing stdout in $tmp/LABEL.N.json
# and stderr in $tmp/LABEL.N.err; returns CMD's status. Output goes through a
# pipe, not straight to a file, so a runtime's handling of regular-file stdout
# cannot get in the way.
run_side() {
  local label=$1 n=$2
  shift 2
  local out status
  local pin=()
  [[ -z $taskset_cpus ]] || pin=(taskset -c "$taskset_cpus")
  out=$("${pin[@]}" "$@" "${args[@]}" 2>"$tmp/$label.$n.err")
  status=$?
  printf '%s\n' "$out" >"$tmp/$label.$n.json"
  return $status
}

# report_failure LABEL N WHAT STATUS: says that a run failed, with its stderr.
report_failure() {
  local label=$1 n=$2 what=$3 status=$4
  echo "compare.sh: the $what run failed (exit status $status); its stderr ends with:" >&2
  tail -n 15 "$tmp/$label.$n.err" | sed 's/^/    /' >&2
}

sides=(native)
sandbox_ok=1
gvisor_ok=0
if [[ ! -x $runsc ]]; then
  echo "compare.sh: RUNSC $runsc is not an executable (build it: ninja -C $build_dir runsc);" \
    "no sandbox column" >&2
  sandbox_ok=0
fi
if [[ -n $gvisor ]]; then
  if [[ -x $gvisor ]]; then
    gvisor_ok=1
  else
    echo "compare.sh: --gvisor=$gvisor is not an executable; no gVisor column" >&2
  fi
fi

if [[ -n $taskset_cpus ]] && ! taskset -c "$taskset_cpus" true; then
  echo "compare.sh: taskset -c $taskset_cpus does not work here" >&2
  exit 2
fi
echo "compare.sh: $program_path, $repeat run(s) per side (${stat/min/best} reported)${taskset_cpus:+, on CPUs $taskset_cpus}," \
  "file benchmarks on ${BENCH_FILE_SIZE:-the default 1 GiB}" >&2
for ((n = 1; n <= repeat; n++)); do
  echo "compare.sh: run $n/$repeat: native" >&2
  run_side native "$n" "$program_path"
  status=$?
  if [[ $status != 0 ]]; then
    report_failure native "$n" native "$status"
    exit 1
  fi
  if [[ $sandbox_ok == 1 ]]; then
    echo "compare.sh: run $n/$repeat: $runsc do" >&2
    run_side sandbox "$n" "$runsc" "do" "$program_path"
    status=$?
    if [[ $status != 0 ]]; then
      report_failure sandbox "$n" "sandboxed ($runsc do)" "$status"
      if LC_ALL=C readelf -l "$program_path" 2>/dev/null | grep -q 'Requesting program interpreter'; then
        echo "compare.sh: $(basename "$program_path") is dynamically linked; if this sandbox" \
          "cannot run it, try --program=static_bench." >&2
      fi
      sandbox_ok=0
    fi
  fi
  if [[ $gvisor_ok == 1 ]]; then
    echo "compare.sh: run $n/$repeat: $gvisor $gvisor_flags do" >&2
    # shellcheck disable=SC2086  # the flags are meant to be split
    run_side gvisor "$n" "$gvisor" $gvisor_flags "do" "$program_path"
    status=$?
    if [[ $status != 0 ]]; then
      report_failure gvisor "$n" "gVisor ($gvisor do)" "$status"
      gvisor_ok=0
    fi
  fi
done
[[ $sandbox_ok == 1 ]] && sides+=(sandbox)
[[ $gvisor_ok == 1 ]] && sides+=(gvisor)

python3 - "$tmp" "$repeat" "$stat" "${sides[@]}" <<'EOF'
"""Prints the comparison table from TMP/SIDE.N.json."""
import json
import re
import statistics
import sys

tmp, repeat, stat, sides = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4:]
# ns/op: the median or the minimum over the runs; bytes/s: the median or the
# maximum (the fastest run either way).
pick_time = min if stat == "min" else statistics.median
pick_rate = max if stat == "min" else statistics.median
TO_NS = {"ns": 1.0, "us": 1e3, "ms": 1e6, "s": 1e9}


def short_name(name):
    # Google Benchmark appends the run settings to the name; drop them so the
    # two programs' names agree.
    return re.sub(r"/(min_time:[^/]*|real_time)", "", name)


def load(side):
    """{name: ns/op}, {name: error}, names in order, {name: bytes/s} and
    {name: label} over the side's runs (median, or the fastest with --best)."""
    times, errors, order, rates, labels = {}, {}, [], {}, {}
    for n in range(1, repeat + 1):
        path = f"{tmp}/{side}.{n}.json"
        try:
            with open(path) as f:
                doc = json.load(f)
        except (OSError, json.JSONDecodeError) as e:
            raise ValueError(f"the {side} run {n} did not print JSON ({e})") from e
        runs = doc.get("benchmarks", [])
        # With --benchmark_repetitions a program reports aggregates: use the median.
        medians = {b["run_name"] for b in runs
                   if b.get("run_type") == "aggregate" and b.get("aggregate_name") == "median"}
        per_run = {}
        for b in runs:
            name = short_name(b.get("run_name", b["name"]))
            if name not in order:
                order.append(name)
            if b.get("error_occurred"):
                errors[name] = b.get("error_message", "error")
                continue
            if b.get("run_type") == "aggregate":
                if b.get("aggregate_name") != "median":
                    continue
            elif b.get("run_name", b["name"]) in medians:
                continue
            ns = b["real_time"] * TO_NS[b.get("time_unit", "ns")]
            per_run.setdefault(name, []).append(ns)
            if b.get("bytes_per_second"):
                rates.setdefault(name, []).append(float(b["bytes_per_second"]))
            if b.get("label"):
                labels[name] = b["label"]
        for name, values in per_run.items():
            times.setdefault(name, []).append(statistics.median(values))
    return ({k: pick_time(v) for k, v in times.items()}, errors, order,
            {k: pick_rate(v) for k, v in rates.items()}, labels)


data = {}
for side in sides:
    try:
        data[side] = load(side)
    except (ValueError, KeyError, TypeError) as e:
        if side == "native":
            sys.exit(f"compare.sh: {e}")
        print(f"compare.sh: no {side} column: {e}", file=sys.stderr)
sides = [s for s in sides if s in data]
names = list(data["native"][2])
for side in sides[1:]:
    names += [n for n in data[side][2] if n not in names]

headers = ["benchmark", "native ns/op"]
labels = {"sandbox": "sandbox", "gvisor": "gvisor"}
for side in sides[1:]:
    headers += [f"{labels[side]} ns/op", "ratio"]
width = max([len(headers[0])] + [len(n) for n in names]) + 2


def cell(text, w):
    return f"{text:>{w}}"


widths = [width] + [len(h) + 3 if h == "ratio" else max(len(h), 10) + 3 for h in headers[1:]]
print(f"{headers[0]:<{width}}" + "".join(cell(h, w) for h, w in zip(headers[1:], widths[1:])))
notes = []
for name in names:
    native = data["native"][0].get(name)
    row = [f"{native:.1f}" if native is not None else "error"]
    for side in sides[1:]:
        value = data[side][0].get(name)
        if value is None:
            row += ["error", "-"]
            if name in data[side][1]:
                notes.append(f"{name} ({side}): {data[side][1][name]}")
        else:
            row += [f"{value:.1f}", f"{value / native:.1f}x" if native else "-"]
    if native is None and name in data["native"][1]:
        notes.append(f"{name} (native): {data['native'][1][name]}")
    print(f"{name:<{width}}" + "".join(cell(c, w) for c, w in zip(row, widths[1:])))
# Throughput, for the benchmarks that report bytes per second.
rated = [n for n in names if any(n in data[s][3] for s in sides)]
if rated:
    print()
    label_of = {n: next((data[s][4][n] for s in sides if n in data[s][4]), "") for n in rated}
    rows = [(f"{n} ({label_of[n]})" if label_of[n] else n) for n in rated]
    rwidth = max([len("throughput, MiB/s")] + [len(r) for r in rows]) + 2
    print(f"{'throughput, MiB/s':<{rwidth}}" + "".join(cell(s, 13) for s in sides))
    for n, r in zip(rated, rows):
        vals = [data[s][3].get(n) for s in sides]
        print(f"{r:<{rwidth}}" +
              "".join(cell(f"{v / 2**20:.1f}" if v else "-", 13) for v in vals))
for note in notes:
    print(f"  note: {note}")
if "sandbox" not in sides:
    print("  note: no sandbox column: the sandboxed run failed or RUNSC is missing (see above)")
EOF
status=$?
if [[ $status != 0 ]]; then
  echo "compare.sh: could not read the benchmark output" >&2
  # The native run worked but printed something unreadable: that is a native failure.
  exit 1
fi
exit 0
