#!/bin/bash
# Container start-up, side by side with runc (and crun when installed), on
# the same busybox bundle and in the same run, reported as ratios:
#
#   1. start to exit of /bin/true with `RUNTIME run` (N runs each, in turn);
#   2. containers started per second through containerd and the runc v2
#      shim (`ctr run --rm` of /bin/true, one after the other);
#   3. the idle memory of a sandbox (the sandbox process and its gofer,
#      RSS and PSS) running `sleep`.
#
#   bench/container_bench.sh RUNSC [RUNS]      (as root)
set -euo pipefail

if [[ $# -lt 1 ]]; then
  echo "usage: $0 RUNSC [RUNS]" >&2
  exit 2
fi
runsc=$(realpath "$1")
runs=${2:-20}
here=$(cd "$(dirname "$0")" && pwd)
e2e=$here/../test/e2e
tmp=$(mktemp -d /tmp/sk-cbench.XXXXXX)
containerd_pid=
cleanup() {
  for id in $("$runsc" --root "$tmp/runsc-root" list -q 2>/dev/null); do
    "$runsc" --root "$tmp/runsc-root" delete --force "$id" >/dev/null 2>&1 || true
  done
  if [[ -n $containerd_pid ]]; then
    for id in $(ctr --address "$tmp/c.sock" -n bench tasks ls -q 2>/dev/null); do
      ctr --address "$tmp/c.sock" -n bench tasks kill -s SIGKILL "$id" >/dev/null 2>&1 || true
    done
    kill -TERM "$containerd_pid" 2>/dev/null || true
    wait "$containerd_pid" 2>/dev/null || true
  fi
  pkill -KILL -f "$tmp/c.sock" 2>/dev/null || true
  grep " $tmp" /proc/mounts | awk '{print $2}' | sort -r | xargs -r -n1 umount -l 2>/dev/null || true
  rm -rf --one-file-system "$tmp"
}
trap cleanup EXIT

bash "$e2e/make_busybox_root.sh" "$tmp/bundle/rootfs" >/dev/null
cat >"$tmp/bundle/config.json" <<'EOF'
{"ociVersion": "1.0.2",
 "process": {"terminal": false, "user": {"uid": 0, "gid": 0}, "args": ["/bin/true"],
             "env": ["PATH=/bin"], "cwd": "/"},
 "root": {"path": "rootfs", "readonly": true},
 "mounts": [{"destination": "/proc", "type": "proc", "source": "proc"}],
 "linux": {"namespaces": [{"type": "pid"}, {"type": "mount"}, {"type": "ipc"},
                          {"type": "uts"}, {"type": "network"}]}}
EOF

# median of the numbers on stdin
median() { sort -n | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }
now_us() { echo $(($(date +%s%N) / 1000)); }

runtimes=(runsc)
command -v runc >/dev/null && runtimes+=(runc)
runtime_cmd() {
  case $1 in
    runsc) echo "$runsc --root $tmp/runsc-root" ;;
    runc) echo "runc --root $tmp/runc-root" ;;
    crun) echo "crun --root $tmp/crun-root" ;;
  esac
}
# crun refuses a hybrid cgroup layout (v1 controllers with /sys/fs/cgroup/unified).
if command -v crun >/dev/null; then
  if (cd "$tmp/bundle" && $(runtime_cmd crun) run probe </dev/null >"$tmp/crun.err" 2>&1); then
    runtimes+=(crun)
  else
    echo "(crun left out: $(head -c 200 "$tmp/crun.err"))"
  fi
fi

echo "== start to exit of /bin/true (RUNTIME run), $runs runs each, in turn"
for rt in "${runtimes[@]}"; do : >"$tmp/$rt.times"; done
for i in $(seq "$runs"); do
  for rt in "${runtimes[@]}"; do
    cmd=$(runtime_cmd "$rt")
    t0=$(now_us)
    (cd "$tmp/bundle" && $cmd run "b$i" </dev/null >/dev/null 2>&1) || echo "  $rt run failed" >&2
    t1=$(now_us)
    echo $((t1 - t0)) >>"$tmp/$rt.times"
  done
done
base=$(median <"$tmp/runc.times" 2>/dev/null || echo 0)
for rt in "${runtimes[@]}"; do
  m=$(median <"$tmp/$rt.times")
  ratio=$(awk -v a="$m" -v b="$base" 'BEGIN {if (b > 0) printf "%.2f", a / b; else print "-"}')
  printf "  %-6s median %7.1f ms   ratio to runc %s\n" "$rt" "$(awk -v m="$m" 'BEGIN {print m / 1000}')" "$ratio"
done

echo "== idle memory of a sandbox running sleep"
sed 's#"/bin/true"#"/bin/sleep", "1000"#' "$tmp/bundle/config.json" >"$tmp/bundle/config.sleep"
cp "$tmp/bundle/config.json" "$tmp/bundle/config.true"
cp "$tmp/bundle/config.sleep" "$tmp/bundle/config.json"
$runsc --root "$tmp/runsc-root" run -d -b "$tmp/bundle" idle </dev/null >/dev/null 2>&1
sleep 1
spid=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["pid"])' "$tmp/runsc-root/idle/state.json")
rss=0
pss=0
for p in $spid $(pgrep -P "$spid"); do
  r=$(awk '/^Rss:/ {print $2}' "/proc/$p/smaps_rollup" 2>/dev/null || echo 0)
  s=$(awk '/^Pss:/ {print $2}' "/proc/$p/smaps_rollup" 2>/dev/null || echo 0)
  rss=$((rss + r))
  pss=$((pss + s))
done
printf "  sandbox + gofer: RSS %.1f MiB, PSS %.1f MiB\n" "$(awk -v k=$rss 'BEGIN {print k / 1024}')" \
  "$(awk -v k=$pss 'BEGIN {print k / 1024}')"
$runsc --root "$tmp/runsc-root" delete --force idle >/dev/null 2>&1
cp "$tmp/bundle/config.true" "$tmp/bundle/config.json"

if ! command -v containerd >/dev/null; then
  echo "== containerd not installed: skipping containers per second"
  exit 0
fi
echo "== containers per second through containerd (ctr run --rm /bin/true, one after the other)"
cat >"$tmp/config.toml" <<EOF
version = 2
root = "$tmp/croot"
state = "$tmp/cstate"
disabled_plugins = ["io.containerd.grpc.v1.cri", "io.containerd.snapshotter.v1.aufs",
  "io.containerd.snapshotter.v1.btrfs", "io.containerd.snapshotter.v1.devmapper",
  "io.containerd.snapshotter.v1.zfs"]
[grpc]
  address = "$tmp/c.sock"
[ttrpc]
  address = "$tmp/c.sock.ttrpc"
[metrics]
  address = ""
[plugins."io.containerd.internal.v1.opt"]
  path = "$tmp/opt"
EOF
containerd --config "$tmp/config.toml" >"$tmp/containerd.log" 2>&1 &
containerd_pid=$!
for _ in $(seq 100); do ctr --address "$tmp/c.sock" version >/dev/null 2>&1 && break; sleep 0.1; done
/usr/bin/python3 "$e2e/make_oci_image.py" "$tmp/busybox.tar" localhost/bench:latest >/dev/null
ctr --address "$tmp/c.sock" -n bench images import "$tmp/busybox.tar" >/dev/null
n=$((runs / 2 > 5 ? runs / 2 : 5))
declare -A per_second
for rt in runsc runc; do
  bin=$([[ $rt == runsc ]] && echo "$runsc" || command -v runc)
  t0=$(now_us)
  for i in $(seq "$n"); do
    ctr --address "$tmp/c.sock" -n bench run --rm --runc-binary "$bin" --runc-root "$tmp/ctr-$rt" \
      localhost/bench:latest "c-$rt-$i" /bin/true </dev/null >/dev/null 2>&1 || echo "  $rt ctr run failed" >&2
  done
  t1=$(now_us)
  per_second[$rt]=$(awk -v n="$n" -v us=$((t1 - t0)) 'BEGIN {printf "%.2f", n / (us / 1e6)}')
  printf "  %-6s %s containers/s (%d in %.2f s)\n" "$rt" "${per_second[$rt]}" "$n" \
    "$(awk -v us=$((t1 - t0)) 'BEGIN {print us / 1e6}')"
done
awk -v a="${per_second[runsc]}" -v b="${per_second[runc]}" \
  'BEGIN {printf "  ratio runsc/runc (higher is better): %.2f\n", a / b}'
