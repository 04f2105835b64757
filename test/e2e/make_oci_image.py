#!/usr/bin/python3
"""Builds a busybox OCI image-layout tarball from the host's static busybox.

    make_oci_image.py OUT.tar NAME:TAG [--entrypoint ARG]... [--cmd ARGS...]

OUT.tar holds `oci-layout`, `index.json` (one manifest, annotated with
`org.opencontainers.image.ref.name` = NAME:TAG, and containerd's
`io.containerd.image.name` with the same value so `ctr images import` needs no
--base-name), the manifest, the image config and one gzip'd layer. The layer is
a busybox root: /bin/busybox (a copy of the host's /bin/busybox, or $BUSYBOX),
a symlink /bin/APPLET -> busybox for every applet, /etc/passwd, /etc/group,
/tmp (mode 1777), /proc, /dev, /sys, /root.

Everything after --cmd is the image's default command (default: /bin/sh).
The CRI "pause" image is the same root with `--cmd /bin/sleep infinity`.

Only the standard library (tarfile, gzip, hashlib, json) is used: nothing is
downloaded. The output is deterministic: fixed mtimes, owners and entry order,
so the same busybox always gives the same digests.
"""

import argparse
import gzip
import hashlib
import io
import json
import os
import subprocess
import sys
import tarfile

# 2000-01-01T00:00:00Z: a fixed time for every tar entry and the config.
FIXED_MTIME = 946684800
FIXED_CREATED = "2000-01-01T00:00:00Z"

MEDIA_MANIFEST = "application/vnd.oci.image.manifest.v1+json"
MEDIA_CONFIG = "application/vnd.oci.image.config.v1+json"
MEDIA_LAYER_GZIP = "application/vnd.oci.image.layer.v1.tar+gzip"

PASSWD = (
    "root:x:0:0:root:/root:/bin/sh\n"
    "daemon:x:1:1:daemon:/usr/sbin:/bin/false\n"
    "nobody:x:65534:65534:nobody:/nonexistent:/bin/false\n"
)
GROUP = "root:x:0:\ndaemon:x:1:\nnogroup:x:65534:\n"


def _entry(name, kind, mode, size=0, linkname=""):
    info = tarfile.TarInfo(name)
    info.type = kind
    info.mode = mode
    info.size = size
    info.linkname = linkname
    info.mtime = FIXED_MTIME
    info.uid = info.gid = 0
    info.uname = info.gname = "root"
    return info


def _is_static(path):
    # A dynamic busybox would need the host's loader and libc in the image.
    # The ELF program headers tell: a PT_INTERP (type 3) entry means dynamic.
    with open(path, "rb") as f:
        elf = f.read(64)
        if elf[:4] != b"\x7fELF" or elf[4] != 2:
            return False
        phoff = int.from_bytes(elf[32:40], "little")
        phentsize = int.from_bytes(elf[54:56], "little")
        phnum = int.from_bytes(elf[56:58], "little")
        f.seek(phoff)
        table = f.read(phentsize * phnum)
    for i in range(phnum):
        if int.from_bytes(table[i * phentsize:i * phentsize + 4], "little") == 3:
            return False
    return True


def build_layer(busybox):
    """Returns the uncompressed layer tar (bytes)."""
    applets = subprocess.run([busybox, "--list"], check=True,
                             capture_output=True, text=True).stdout.split()
    applets = sorted({a for a in applets if a and "/" not in a and a != "busybox"})
    if not applets:
        sys.exit(f"make_oci_image: '{busybox} --list' printed no applets")
    with open(busybox, "rb") as f:
        binary = f.read()

    buf = io.BytesIO()
    # GNU format with an explicit, fixed layout: no pax headers carrying
    # atime/ctime, so the bytes depend only on what is listed here.
    with tarfile.open(fileobj=buf, mode="w", format=tarfile.GNU_FORMAT) as tar:
        for d, mode in (("bin", 0o755), ("dev", 0o755), ("etc", 0o755),
                        ("proc", 0o555), ("root", 0o700), ("sys", 0o555),
                        ("tmp", 0o1777)):
            tar.addfile(_entry(d + "/", tarfile.DIRTYPE, mode))
        tar.addfile(_entry("bin/busybox", tarfile.REGTYPE, 0o755, len(binary)),
                    io.BytesIO(binary))
        for applet in applets:
            tar.addfile(_entry("bin/" + applet, tarfile.SYMTYPE, 0o777,
                               linkname="busybox"))
        for name, text in (("etc/group", GROUP), ("etc/passwd", PASSWD)):
            data = text.encode()
            tar.addfile(_entry(name, tarfile.REGTYPE, 0o644, len(data)),
                        io.BytesIO(data))
    return buf.getvalue()


def gzip_bytes(data):
    out = io.BytesIO()
    # mtime=0 and an empty file name keep the gzip header fixed.
    with gzip.GzipFile(filename="", mode="wb", fileobj=out, mtime=0,
                       compresslevel=6) as gz:
        gz.write(data)
    return out.getvalue()


def sha256(data):
    return "sha256:" + hashlib.sha256(data).hexdigest()


def canonical_json(obj):
    return json.dumps(obj, sort_keys=True, separators=(",", ":")).encode()


def main():
    parser = argparse.ArgumentParser(
        description="Build a busybox OCI image-layout tarball.")
    parser.add_argument("out", help="output tarball (OCI image layout)")
    parser.add_argument("ref", help="image reference, e.g. localhost/busybox:latest")
    parser.add_argument("--entrypoint", action="append", default=[],
                        help="entrypoint argument (repeat for several)")
    parser.add_argument("--cmd", nargs=argparse.REMAINDER, default=None,
                        help="default command: every argument after --cmd")
    args = parser.parse_args()
    cmd = args.cmd if args.cmd else ["/bin/sh"]
    if ":" not in args.ref.rsplit("/", 1)[-1]:
        parser.error(f"reference {args.ref!r} has no :TAG")

    busybox = os.environ.get("BUSYBOX", "/bin/busybox")
    if not os.access(busybox, os.X_OK):
        sys.exit(f"make_oci_image: {busybox} is missing "
                 "(install busybox-static: scripts/setup)")
    if not _is_static(busybox):
        sys.exit(f"make_oci_image: {busybox} is not a static x86-64 ELF; "
                 "want busybox-static")

    layer = build_layer(busybox)
    layer_gz = gzip_bytes(layer)

    image_config = {
        "created": FIXED_CREATED,
        "architecture": "amd64",
        "os": "linux",
        "config": {
            "Env": ["PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"],
            "Cmd": cmd,
            "WorkingDir": "/",
        },
        "rootfs": {"type": "layers", "diff_ids": [sha256(layer)]},
        "history": [{"created": FIXED_CREATED,
                     "created_by": "make_oci_image.py (host busybox-static)"}],
    }
    if args.entrypoint:
        image_config["config"]["Entrypoint"] = args.entrypoint
    config_blob = canonical_json(image_config)

    manifest = {
        "schemaVersion": 2,
        "mediaType": MEDIA_MANIFEST,
        "config": {"mediaType": MEDIA_CONFIG, "digest": sha256(config_blob),
                   "size": len(config_blob)},
        "layers": [{"mediaType": MEDIA_LAYER_GZIP, "digest": sha256(layer_gz),
                    "size": len(layer_gz)}],
    }
    manifest_blob = canonical_json(manifest)

    index = {
        "schemaVersion": 2,
        "manifests": [{
            "mediaType": MEDIA_MANIFEST,
            "digest": sha256(manifest_blob),
            "size": len(manifest_blob),
            "platform": {"architecture": "amd64", "os": "linux"},
            "annotations": {
                "org.opencontainers.image.ref.name": args.ref,
                "io.containerd.image.name": args.ref,
            },
        }],
    }

    files = [("oci-layout", canonical_json({"imageLayoutVersion": "1.0.0"})),
             ("index.json", canonical_json(index))]
    for blob in (layer_gz, config_blob, manifest_blob):
        files.append(("blobs/sha256/" + sha256(blob)[len("sha256:"):], blob))

    tmp_out = args.out + ".tmp"
    with tarfile.open(tmp_out, mode="w", format=tarfile.GNU_FORMAT) as tar:
        for d in ("blobs/", "blobs/sha256/"):
            tar.addfile(_entry(d, tarfile.DIRTYPE, 0o755))
        for name, data in files:
            tar.addfile(_entry(name, tarfile.REGTYPE, 0o644, len(data)),
                        io.BytesIO(data))
    os.replace(tmp_out, args.out)
    print(f"{args.out}: {args.ref} manifest {sha256(manifest_blob)}")


if __name__ == "__main__":
    main()
