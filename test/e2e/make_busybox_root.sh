#!/bin/bash
# Builds a minimal root file system in DIR from the host's static busybox
# (Debian's busybox-static, installed by scripts/setup):
#
#   make_busybox_root.sh DIR
#
# DIR/bin/busybox is a copy of the host's /bin/busybox (or $BUSYBOX), every
# applet that `busybox --list` names is a symlink DIR/bin/APPLET -> busybox,
# and DIR/etc, tmp (mode 1777), proc, dev and sys exist. Running it again on
# the same DIR is harmless: nothing is duplicated, a stale copy of busybox is
# replaced. Exits 2 if busybox is missing or not static.
set -euo pipefail

if [[ $# -ne 1 ]]; then
  echo "usage: $0 DIR" >&2
  exit 2
fi
dir=$1
busybox=${BUSYBOX:-/bin/busybox}

if [[ ! -x $busybox ]]; then
  echo "make_busybox_root: $busybox is missing (install busybox-static: scripts/setup)" >&2
  exit 2
fi
# A dynamic busybox would need the host's loader and libc inside the root.
if LC_ALL=C file -L "$busybox" 2>/dev/null | grep -q 'dynamically linked'; then
  echo "make_busybox_root: $busybox is dynamically linked; want busybox-static" >&2
  exit 2
fi

mkdir -p "$dir/bin" "$dir/etc" "$dir/tmp" "$dir/proc" "$dir/dev" "$dir/sys"
chmod 1777 "$dir/tmp"
if ! cmp -s "$busybox" "$dir/bin/busybox"; then
  cp "$busybox" "$dir/bin/busybox.new"
  chmod 0755 "$dir/bin/busybox.new"
  mv -f "$dir/bin/busybox.new" "$dir/bin/busybox"
fi

applets=$("$busybox" --list)
if [[ -z $applets ]]; then
  echo "make_busybox_root: '$busybox --list' printed no applets" >&2
  exit 2
fi
while IFS= read -r applet; do
  [[ -z $applet || $applet == busybox || $applet == */* ]] && continue
  # -n: replace an existing symlink itself; never descend into a directory.
  ln -sfn busybox "$dir/bin/$applet"
done <<<"$applets"
