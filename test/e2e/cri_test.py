#!/usr/bin/python3
"""Takes a pod through containerd's CRI plugin with a runtime handler `gvisor`.

    cri_test.py RUNTIME_BINARY          (as root)
    SK_RUNTIME_LOG=/tmp/calls.log cri_test.py build/runsc/runsc

Plays the kubelet: starts a private containerd (root, state, sockets, CNI
directories and the runtime's Root in a temporary directory) whose CRI
runtime section is the `cri-runtime-snippet` block of docs/containerd.md with
BinaryName and Root replaced, imports a busybox image and a pause image (both
from make_oci_image.py) into the `k8s.io` namespace, and speaks CRI v1 gRPC
(runtime.v1.RuntimeService) with hand-encoded protobuf. The handler name is
read from the RuntimeClass in docs/kubernetes.md.

Flow: Version; RunPodSandbox with an unknown handler (refused); RunPodSandbox
with the handler, host network; a container that echoes and exits 3 (status,
exit code, log file); a long-running container: ExecSync (stdout, stderr, exit
code), UpdateContainerResources (the host cgroup), StopContainer (SIGTERM
ignored by its init, SIGKILL after the timeout: 137); RemoveContainer;
StopPodSandbox; RemovePodSandbox; no shim left.

Each check prints PASS/FAIL (expected and got); the last line counts them and
the exit status is non-zero on any FAIL. containerd, its shims, mounts,
cgroups and the temporary directory are always cleaned up. With
SK_RUNTIME_LOG=FILE every runtime call is appended to FILE.
"""

import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time

import grpc

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))
CLIENT_TIMEOUT = 60  # seconds, for every call
BUSYBOX_IMAGE = "localhost/sk-busybox:latest"
PAUSE_IMAGE = "localhost/sk-pause:latest"
GiB = 1 << 30

# --- a tiny protobuf encoder/decoder ------------------------------------------
#
# Only what the CRI messages below need: varints (int32/int64/uint32/bool/
# enum), length-delimited fields (string, bytes, sub-messages, map entries).
# A message is built as bytes by concatenating fields; a decoded message is a
# dict {field number: [values]} with ints for varints and bytes otherwise.


def _varint(n):
    if n < 0:
        n += 1 << 64  # int32/int64 negatives are 10-byte two's complement
    out = bytearray()
    while True:
        b = n & 0x7F
        n >>= 7
        if n:
            out.append(b | 0x80)
        else:
            out.append(b)
            return bytes(out)


def f_int(num, value):
    """A varint field; proto3 omits zero values."""
    if not value:
        return b""
    return _varint(num << 3 | 0) + _varint(int(value))


def f_bytes(num, data):
    return _varint(num << 3 | 2) + _varint(len(data)) + data


def f_str(num, s):
    return f_bytes(num, s.encode()) if s else b""


def f_msg(num, *fields):
    """A sub-message field, present even if empty."""
    return f_bytes(num, b"".join(fields))


def f_strs(num, items):
    return b"".join(f_bytes(num, s.encode()) for s in items)


def f_map(num, mapping):
    return b"".join(f_msg(num, f_str(1, k), f_str(2, v))
                    for k, v in sorted(mapping.items()))


def decode(data):
    fields = {}
    i = 0

    def read_varint():
        nonlocal i
        shift = result = 0
        while True:
            b = data[i]
            i += 1
            result |= (b & 0x7F) << shift
            shift += 7
            if not b & 0x80:
                return result

    while i < len(data):
        key = read_varint()
        num, wire = key >> 3, key & 7
        if wire == 0:
            value = read_varint()
        elif wire == 2:
            size = read_varint()
            value = data[i:i + size]
            i += size
        elif wire == 1:
            value = int.from_bytes(data[i:i + 8], "little")
            i += 8
        elif wire == 5:
            value = int.from_bytes(data[i:i + 4], "little")
            i += 4
        else:
            raise ValueError(f"unsupported wire type {wire}")
        fields.setdefault(num, []).append(value)
    return fields


def get(msg, num, default=None):
    values = msg.get(num)
    return values[-1] if values else default


def get_str(msg, num):
    return get(msg, num, b"").decode(errors="replace")


def get_int32(msg, num):
    v = get(msg, num, 0) & 0xFFFFFFFF
    return v - (1 << 32) if v >= 1 << 31 else v


# --- CRI v1 ------------------------------------------------------------------

# enum NamespaceMode
POD, CONTAINER, NODE = 0, 1, 2
# enum ContainerState
CONTAINER_CREATED, CONTAINER_RUNNING, CONTAINER_EXITED = 0, 1, 2
# enum PodSandboxState
SANDBOX_READY, SANDBOX_NOTREADY = 0, 1


class Cri:
    """runtime.v1.RuntimeService over a unix socket, bytes in and out."""

    def __init__(self, socket_path):
        self.channel = grpc.insecure_channel("unix://" + socket_path)

    def call(self, method, request):
        rpc = self.channel.unary_unary("/runtime.v1.RuntimeService/" + method,
                                       request_serializer=None,
                                       response_deserializer=None)
        return decode(rpc(request, timeout=CLIENT_TIMEOUT))

    def close(self):
        self.channel.close()


def namespace_options(num, network, pid, ipc):
    """NamespaceOption as field `num` (1 in the sandbox's security context,
    3 in a container's)."""
    return f_msg(num, f_int(1, network), f_int(2, pid), f_int(3, ipc))


def pod_config(name, uid, log_dir, cgroup_parent):
    # PodSandboxConfig: metadata, log_directory, labels, linux {cgroup_parent,
    # security_context {namespace_options}}. The node's network: no CNI here.
    return b"".join([
        f_msg(1, f_str(1, name), f_str(2, uid), f_str(3, "default")),
        f_str(3, log_dir),
        f_map(6, {"sk-e2e": "cri"}),
        f_msg(8, f_str(1, cgroup_parent),
              f_msg(2, namespace_options(1, NODE, CONTAINER, POD))),
    ])


def container_config(name, image, args, log_path):
    # ContainerConfig: metadata, image, command, log_path,
    # linux {security_context {namespace_options}}.
    return b"".join([
        f_msg(1, f_str(1, name)),
        f_msg(2, f_str(1, image)),
        f_strs(3, args),
        f_str(5, "/"),
        f_msg(6, f_str(1, "SK_CRI"), f_str(2, name)),
        f_str(11, log_path),
        f_msg(15, f_msg(2, namespace_options(3, NODE, CONTAINER, POD))),
    ])


# --- the harness -----------------------------------------------------------


class Harness:
    def __init__(self, runtime):
        self.runtime = runtime
        self.passed = self.failed = self.skipped = 0
        self.tmp = tempfile.mkdtemp(prefix="sk-cri.", dir="/tmp")
        self.sock = os.path.join(self.tmp, "containerd.sock")
        self.runtime_root = os.path.join(self.tmp, "runtime-root")
        self.cgroup_parent = f"sk-cri-{os.getpid()}"
        self.containerd = None
        self.cri = None
        self.pods = []
        self.containers = []

    # reporting

    def passes(self, name, what):
        print(f"PASS {name}: {what}", flush=True)
        self.passed += 1

    def fails(self, name, expected, got):
        print(f"FAIL {name}: expected {expected}", flush=True)
        for line in str(got).splitlines()[:20] or [""]:
            print(f"  got: {line}", flush=True)
        self.failed += 1

    def check(self, name, ok, what, expected, got):
        if ok:
            self.passes(name, what)
        else:
            self.fails(name, expected, got)
        return ok

    def skips(self, name, why):
        print(f"SKIP {name}: {why}", flush=True)
        self.skipped += 1

    # set-up

    def run(self, *argv, **kw):
        return subprocess.run(argv, stdin=subprocess.DEVNULL, capture_output=True,
                              text=True, timeout=CLIENT_TIMEOUT, **kw)

    def write_config(self):
        runtime_binary = self.runtime
        log = os.environ.get("SK_RUNTIME_LOG")
        if log:
            runtime_binary = os.path.join(self.tmp, "runtime-wrapper")
            with open(runtime_binary, "w") as f:
                f.write("#!/bin/sh\n"
                        f"printf '%s cwd=%s:' \"$(date +%T.%N)\" \"$PWD\" >>'{log}'\n"
                        f"for a in \"$@\"; do printf ' %s' \"$a\" >>'{log}'; done\n"
                        f"printf '\\n' >>'{log}'\n"
                        f"exec '{self.runtime}' \"$@\"\n")
            os.chmod(runtime_binary, 0o755)
        snippet = doc_block(os.path.join(REPO, "docs/containerd.md"),
                            "cri-runtime-snippet")
        snippet, n1 = re.subn(r'(?m)^(\s*BinaryName\s*=\s*)".*"',
                              lambda m: f'{m.group(1)}"{runtime_binary}"', snippet)
        snippet, n2 = re.subn(r'(?m)^(\s*Root\s*=\s*)".*"',
                              lambda m: f'{m.group(1)}"{self.runtime_root}"', snippet)
        if n1 != 1 or n2 != 1:
            sys.exit("cri_test: the docs/containerd.md snippet lost BinaryName or Root")
        self.handler = re.search(
            r'(?m)^handler:\s*(\S+)\s*$',
            doc_block(os.path.join(REPO, "docs/kubernetes.md"), "runtimeclass")).group(1)
        if f"runtimes.{self.handler}]" not in snippet:
            sys.exit(f"cri_test: docs: RuntimeClass handler {self.handler!r} is not "
                     "the runtime registered in the containerd snippet")
        t = self.tmp
        config = f'''version = 2
root = "{t}/root"
state = "{t}/state"
disabled_plugins = [
  "io.containerd.snapshotter.v1.aufs",
  "io.containerd.snapshotter.v1.btrfs",
  "io.containerd.snapshotter.v1.devmapper",
  "io.containerd.snapshotter.v1.zfs",
]

[grpc]
  address = "{self.sock}"

[ttrpc]
  address = "{self.sock}.ttrpc"

[metrics]
  address = ""

[plugins."io.containerd.internal.v1.opt"]
  path = "{t}/opt"

[plugins."io.containerd.grpc.v1.cri"]
  sandbox_image = "{PAUSE_IMAGE}"
  restrict_oom_score_adj = true
  disable_apparmor = true
  stream_server_address = "127.0.0.1"
  stream_server_port = "0"
  [plugins."io.containerd.grpc.v1.cri".cni]
    bin_dir = "{t}/cni/bin"
    conf_dir = "{t}/cni/net.d"
  [plugins."io.containerd.grpc.v1.cri".containerd]
    snapshotter = "overlayfs"
    default_runtime_name = "runc"
    [plugins."io.containerd.grpc.v1.cri".containerd.runtimes.runc]
      runtime_type = "io.containerd.runc.v2"

# From docs/containerd.md, BinaryName and Root replaced:
{snippet}
'''
        with open(os.path.join(t, "config.toml"), "w") as f:
            f.write(config)

    def start(self):
        for d in ("cni/bin", "cni/net.d", "pods"):
            os.makedirs(os.path.join(self.tmp, d))
        self.write_config()
        self.containerd_log = open(os.path.join(self.tmp, "containerd.log"), "w")
        self.containerd = subprocess.Popen(
            ["containerd", "--config", os.path.join(self.tmp, "config.toml")],
            stdin=subprocess.DEVNULL, stdout=self.containerd_log,
            stderr=subprocess.STDOUT)
        self.cri = Cri(self.sock)
        try:
            grpc.channel_ready_future(self.cri.channel).result(timeout=30)
        except grpc.FutureTimeoutError:
            self.fails("containerd", f"the daemon serving {self.sock} within 30 s",
                       self.log_tail())
            return False
        for ref, extra in ((BUSYBOX_IMAGE, []),
                           (PAUSE_IMAGE, ["--cmd", "/bin/sleep", "infinity"])):
            tar = os.path.join(self.tmp, ref.split("/")[-1].split(":")[0] + ".tar")
            r = self.run(os.path.join(HERE, "make_oci_image.py"), tar, ref, *extra)
            if r.returncode:
                self.fails("image", f"make_oci_image.py to build {ref}", r.stderr)
                return False
            r = self.run("ctr", "--address", self.sock, "--namespace", "k8s.io",
                         "images", "import", tar)
            if r.returncode:
                self.fails("import", f"ctr -n k8s.io images import {tar}",
                           r.stdout + r.stderr)
                return False
        self.passes("import", f"{BUSYBOX_IMAGE} and {PAUSE_IMAGE} in namespace k8s.io")
        return True

    def log_tail(self, n=15):
        try:
            with open(os.path.join(self.tmp, "containerd.log")) as f:
                return "".join(f.readlines()[-n:])
        except OSError:
            return ""

    # clean-up: CRI first (its shims exit when their tasks go), then the
    # daemon, then whatever is left by pid, cgroup and mount point.

    def cleanup(self):
        if self.cri and self.containerd and self.containerd.poll() is None:
            for cid in self.containers:
                for method in ("StopContainer", "RemoveContainer"):
                    try:
                        self.cri.call(method, f_str(1, cid))
                    except grpc.RpcError:
                        pass
            for pid in self.pods:
                for method in ("StopPodSandbox", "RemovePodSandbox"):
                    try:
                        self.cri.call(method, f_str(1, pid))
                    except grpc.RpcError:
                        pass
        if self.cri:
            self.cri.close()
        if self.containerd:
            self.containerd.terminate()
            try:
                self.containerd.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.containerd.kill()
                self.containerd.wait()
            self.containerd_log.close()
        for pid in pids_with_arg(self.sock):
            try:
                os.kill(pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
        kill_cgroup_tree(self.cgroup_parent)
        unmount_under(self.tmp)
        shutil.rmtree(self.tmp, ignore_errors=True)

    # waiting

    def container_status(self, cid):
        return get(self.cri.call("ContainerStatus", f_str(1, cid)), 1, b"")

    def wait_state(self, cid, state, seconds=30):
        deadline = time.monotonic() + seconds
        while True:
            status = decode(self.container_status(cid))
            if get(status, 3, 0) == state or time.monotonic() > deadline:
                return status
            time.sleep(0.2)


def doc_block(path, marker):
    """The fenced code block right after the `<!-- MARKER... -->` comment."""
    with open(path) as f:
        text = f.read()
    m = re.search(r"<!-- " + re.escape(marker) + r"[^>]*-->\s*```\w*\n(.*?)```",
                  text, re.S)
    if not m:
        sys.exit(f"cri_test: no '{marker}' code block in {path}")
    return m.group(1)


def pids_with_arg(arg):
    """Pids whose argv holds `arg` (our daemon's unique socket path)."""
    pids = []
    for p in os.listdir("/proc"):
        if not p.isdigit() or int(p) == os.getpid():
            continue
        try:
            with open(f"/proc/{p}/cmdline", "rb") as f:
                if arg.encode() in f.read().split(b"\0"):
                    pids.append(int(p))
        except OSError:
            pass
    return pids


def cgroup_dirs(name):
    base = "/sys/fs/cgroup"
    dirs = [os.path.join(base, name)]
    for hier in sorted(os.listdir(base)):
        dirs.append(os.path.join(base, hier, name))
    return [d for d in dirs if os.path.isdir(d)]


def kill_cgroup_tree(name):
    for d in cgroup_dirs(name):
        for root, _, files in os.walk(d):
            if "cgroup.procs" in files:
                try:
                    with open(os.path.join(root, "cgroup.procs")) as f:
                        for pid in f.read().split():
                            os.kill(int(pid), signal.SIGKILL)
                except OSError:
                    pass
    time.sleep(0.2)
    for d in cgroup_dirs(name):
        for root, _, _ in sorted(os.walk(d), key=lambda w: -len(w[0])):
            try:
                os.rmdir(root)
            except OSError:
                pass


def unmount_under(path):
    mounts = []
    with open("/proc/self/mountinfo") as f:
        for line in f:
            mnt = line.split()[4].encode().decode("unicode_escape")
            if mnt == path or mnt.startswith(path + "/"):
                mounts.append(mnt)
    for mnt in sorted(mounts, reverse=True):
        if subprocess.run(["umount", mnt], capture_output=True).returncode:
            subprocess.run(["umount", "-l", mnt], capture_output=True)


def grpc_error(e):
    return f"{e.code().name}: {e.details()}"


def test(h):
    cri = h.cri

    # Version
    v = cri.call("Version", f_str(1, "v1"))
    h.check("version", get_str(v, 2) == "containerd" and get_str(v, 4) == "v1",
            f"runtime {get_str(v, 2)} {get_str(v, 3)}, CRI {get_str(v, 4)}",
            "runtime_name containerd, runtime_api_version v1",
            f"{get_str(v, 2)!r} {get_str(v, 4)!r}")

    log_dir = os.path.join(h.tmp, "pods", "sk-pod")
    os.makedirs(log_dir)
    config = pod_config("sk-pod", f"uid-{os.getpid()}", log_dir, "/" + h.cgroup_parent)

    # An unknown handler is refused.
    try:
        bad = get_str(cri.call("RunPodSandbox", f_msg(1, config) + f_str(2, "no-such-handler")), 1)
        h.pods.append(bad)
        h.fails("unknown-handler", "RunPodSandbox(no-such-handler) refused",
                f"sandbox {bad}")
    except grpc.RpcError as e:
        h.check("unknown-handler", 'no runtime for "no-such-handler" is configured' in e.details(),
                "refused: " + e.details(),
                "an error 'no runtime for \"no-such-handler\" is configured'", grpc_error(e))

    # The pod, with the handler.
    try:
        pod = get_str(cri.call("RunPodSandbox", f_msg(1, config) + f_str(2, h.handler)), 1)
    except grpc.RpcError as e:
        h.fails("run-pod", f"RunPodSandbox(runtime_handler={h.handler}) to succeed",
                grpc_error(e))
        return
    h.pods.append(pod)
    status = decode(get(cri.call("PodSandboxStatus", f_str(1, pod)), 1, b""))
    h.check("run-pod", get(status, 3, 0) == SANDBOX_READY and get_str(status, 9) == h.handler,
            f"sandbox {pod[:12]} READY with handler {h.handler}",
            f"state SANDBOX_READY and runtime_handler {h.handler}",
            f"state {get(status, 3, 0)}, handler {get_str(status, 9)!r}")
    # The runtime under test made it: runc v2 passes --root <Root>/k8s.io.
    state_root = os.path.join(h.runtime_root, "k8s.io")
    entries = os.listdir(state_root) if os.path.isdir(state_root) else []
    h.check("pod-runtime", any(e.startswith(pod) for e in entries),
            f"the runtime keeps the sandbox's state under Root ({state_root})",
            f"an entry named {pod[:12]}... in {state_root}", entries)

    # A container that prints and exits 3: its log and exit code.
    try:
        cid = get_str(cri.call("CreateContainer", f_str(1, pod) + f_msg(2, container_config(
            "echo", BUSYBOX_IMAGE,
            ["/bin/sh", "-c", 'echo "hello from cri $SK_CRI"; echo to-stderr >&2; exit 3'],
            "echo.log")) + f_msg(3, config)), 1)
        h.containers.append(cid)
        cri.call("StartContainer", f_str(1, cid))
        status = h.wait_state(cid, CONTAINER_EXITED)
        h.check("container-exit", get(status, 3, 0) == CONTAINER_EXITED and get_int32(status, 7) == 3,
                "EXITED with exit code 3", "state CONTAINER_EXITED and exit_code 3",
                f"state {get(status, 3, 0)}, exit_code {get_int32(status, 7)}, "
                f"reason {get_str(status, 10)!r} {get_str(status, 11)!r}")
        try:
            with open(os.path.join(log_dir, "echo.log")) as f:
                log = f.read()
        except OSError as e:
            log = str(e)
        h.check("container-log",
                re.search(r"(?m)^\S+ stdout F hello from cri echo$", log) is not None and
                re.search(r"(?m)^\S+ stderr F to-stderr$", log) is not None,
                "CRI log has the stdout and stderr lines",
                "'<time> stdout F hello from cri echo' and '<time> stderr F to-stderr'", log)
    except grpc.RpcError as e:
        h.fails("container-exit", "CreateContainer + StartContainer to succeed", grpc_error(e))

    # A long-running container: exec, update, stop.
    try:
        cid = get_str(cri.call("CreateContainer", f_str(1, pod) + f_msg(2, container_config(
            "sleeper", BUSYBOX_IMAGE, ["/bin/sleep", "1000"], "sleeper.log")) +
            f_msg(3, config)), 1)
        h.containers.append(cid)
        cri.call("StartContainer", f_str(1, cid))
    except grpc.RpcError as e:
        h.fails("container-start", "CreateContainer + StartContainer to succeed", grpc_error(e))
        return
    status = h.wait_state(cid, CONTAINER_RUNNING)
    h.check("container-start", get(status, 3, 0) == CONTAINER_RUNNING, "RUNNING",
            "state CONTAINER_RUNNING", f"state {get(status, 3, 0)}")

    # runsc runs a pod's containers in the pod's one sandbox: the app
    # container's record names the pod's sandbox container, and one sandbox
    # process serves both.
    if os.path.basename(h.runtime) == "runsc":
        rec = os.path.join(h.runtime_root, "k8s.io", cid, "state.json")
        try:
            with open(rec) as f:
                sandbox_of = json.load(f).get("sandbox_id", "")
        except OSError as e:
            sandbox_of = f"unreadable: {e}"
        sandboxes = subprocess.run(["pgrep", "-c", "-x", "runsc-sandbox"], capture_output=True,
                                   text=True).stdout.strip()
        h.check("pod-shares-sandbox", sandbox_of == pod,
                f"the container runs in the pod's sandbox {pod[:12]}",
                f"sandbox_id {pod[:12]} in {rec}", f"sandbox_id {sandbox_of!r}, "
                f"{sandboxes} runsc-sandbox processes")

    try:
        r = cri.call("ExecSync", f_str(1, cid) + f_strs(2, [
            "/bin/sh", "-c", "echo exec-out; echo exec-err >&2; exit 5"]) + f_int(3, 30))
        out, err, code = get(r, 1, b""), get(r, 2, b""), get_int32(r, 3)
        h.check("exec-sync", out == b"exec-out\n" and err == b"exec-err\n" and code == 5,
                "stdout, stderr and exit code 5",
                "stdout 'exec-out', stderr 'exec-err', exit_code 5",
                f"stdout {out!r}, stderr {err!r}, exit_code {code}")
    except grpc.RpcError as e:
        h.fails("exec-sync", "ExecSync to succeed", grpc_error(e))

    # The exec'd process runs in the container: it sees the container's init.
    try:
        r = cri.call("ExecSync", f_str(1, cid) + f_strs(2, ["/bin/ps", "-o", "args"]) +
                     f_int(3, 30))
        out = get(r, 1, b"").decode(errors="replace")
        h.check("exec-sync-ps", "sleep 1000" in out and get_int32(r, 3) == 0,
                "ps in the container shows its init",
                "'sleep 1000' in ps output, exit 0", out)
    except grpc.RpcError as e:
        h.fails("exec-sync-ps", "ExecSync to succeed", grpc_error(e))

    # UpdateContainerResources: the runtime's `update --resources -` reaches
    # the container's host cgroup (cgroupfs: cgroup_parent/<container id>).
    limit = 64 << 20
    try:
        cri.call("UpdateContainerResources", f_str(1, cid) + f_msg(2,
                 f_int(3, 512), f_int(4, limit)))
        mem = os.path.join("/sys/fs/cgroup/memory", h.cgroup_parent, cid,
                           "memory.limit_in_bytes")
        shares = os.path.join("/sys/fs/cgroup/cpu", h.cgroup_parent, cid, "cpu.shares")
        got = []
        for path in (mem, shares):
            try:
                with open(path) as f:
                    got.append(f.read().strip())
            except OSError as e:
                got.append(str(e))
        h.check("update-resources", got == [str(limit), "512"],
                f"memory limit {limit} and cpu shares 512 in the host cgroup",
                f"{mem} = {limit} and {shares} = 512", got)
    except grpc.RpcError as e:
        h.fails("update-resources", "UpdateContainerResources to succeed", grpc_error(e))

    # StopContainer: SIGTERM (ignored by a handler-less init), then SIGKILL
    # after the 2 s timeout.
    try:
        start = time.monotonic()
        cri.call("StopContainer", f_str(1, cid) + f_int(2, 2))
        status = h.wait_state(cid, CONTAINER_EXITED, 10)
        h.check("stop-container",
                get(status, 3, 0) == CONTAINER_EXITED and get_int32(status, 7) == 137,
                f"EXITED, exit code 137 after {time.monotonic() - start:.1f} s",
                "state CONTAINER_EXITED and exit_code 137 (SIGKILL after the timeout)",
                f"state {get(status, 3, 0)}, exit_code {get_int32(status, 7)}")
    except grpc.RpcError as e:
        h.fails("stop-container", "StopContainer to succeed", grpc_error(e))

    removed = []
    for c in list(h.containers):
        try:
            cri.call("RemoveContainer", f_str(1, c))
            h.containers.remove(c)
            removed.append(c)
        except grpc.RpcError as e:
            h.fails("remove-container", f"RemoveContainer({c[:12]}) to succeed", grpc_error(e))
    if removed:
        try:
            h.container_status(removed[-1])
            h.fails("remove-container", "ContainerStatus of a removed container: NOT_FOUND",
                    "a status")
        except grpc.RpcError as e:
            h.check("remove-container", e.code() == grpc.StatusCode.NOT_FOUND,
                    f"{len(removed)} containers removed, status NOT_FOUND",
                    "NOT_FOUND", grpc_error(e))

    try:
        cri.call("StopPodSandbox", f_str(1, pod))
        status = decode(get(cri.call("PodSandboxStatus", f_str(1, pod)), 1, b""))
        h.check("stop-pod", get(status, 3, 0) == SANDBOX_NOTREADY, "sandbox NOTREADY",
                "state SANDBOX_NOTREADY", f"state {get(status, 3, 0)}")
    except grpc.RpcError as e:
        h.fails("stop-pod", "StopPodSandbox to succeed", grpc_error(e))
    try:
        cri.call("RemovePodSandbox", f_str(1, pod))
        h.pods.remove(pod)
        try:
            cri.call("PodSandboxStatus", f_str(1, pod))
            h.fails("remove-pod", "PodSandboxStatus of a removed pod: NOT_FOUND", "a status")
        except grpc.RpcError as e:
            h.check("remove-pod", e.code() == grpc.StatusCode.NOT_FOUND,
                    "pod removed, status NOT_FOUND", "NOT_FOUND", grpc_error(e))
    except grpc.RpcError as e:
        h.fails("remove-pod", "RemovePodSandbox to succeed", grpc_error(e))

    # Nothing left: no shim of our daemon, no state under the runtime's Root.
    deadline = time.monotonic() + 15
    while pids_with_arg(h.sock) and time.monotonic() < deadline:
        time.sleep(0.2)
    left = pids_with_arg(h.sock)
    h.check("no-shims-left", not left, "no shim of this daemon is running",
            f"no process with -address {h.sock}",
            subprocess.run(["ps", "-o", "pid,args", "-p", ",".join(map(str, left))],
                           capture_output=True, text=True).stdout if left else "")
    entries = os.listdir(state_root) if os.path.isdir(state_root) else []
    h.check("no-runtime-state-left", not entries, f"{state_root} is empty",
            f"no entries in {state_root}", entries)


def main():
    if len(sys.argv) != 2:
        sys.exit(f"usage: {sys.argv[0]} RUNTIME_BINARY")
    runtime = os.path.realpath(sys.argv[1])
    if not os.access(runtime, os.X_OK):
        sys.exit(f"cri_test: no runtime binary {sys.argv[1]}")
    if os.geteuid() != 0:
        print("SKIP cri: needs root (containerd mounts snapshots)")
        return 0
    for tool in ("containerd", "ctr", "containerd-shim-runc-v2"):
        if not shutil.which(tool):
            print(f"FAIL setup: {tool} is not installed (scripts/setup installs containerd)")
            return 1
    h = Harness(runtime)
    # SIGTERM (ctest's timeout) must still clean up.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    try:
        if h.start():
            test(h)
    except grpc.RpcError as e:
        h.fails("cri", "no unexpected gRPC error", grpc_error(e) + "\n" + h.log_tail())
    finally:
        h.cleanup()
    print(f"{h.passed} passed, {h.failed} failed, {h.skipped} skipped")
    return 1 if h.failed else 0


if __name__ == "__main__":
    sys.exit(main())
