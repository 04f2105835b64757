#!/bin/bash
# Builds, once, a minimal Debian bookworm root for the sandbox's end-to-end
# tests, with debootstrap from the Debian mirror this machine's apt uses:
#
#   make_debian_root.sh [DIR]
#
# DIR defaults to /var/cache/sandbox-test/debian-bookworm-minbase, outside the
# checkout, so that it survives between runs. A DIR with etc/debian_version is
# taken as built and left alone. The root is built beside DIR and renamed into
# place only when debootstrap has succeeded, so an interrupted build leaves no
# half root behind; concurrent callers wait for one another.
#
# The mirror is the first bookworm entry of /etc/apt/sources.list ("deb URL
# bookworm ...") or of /etc/apt/sources.list.d/*.sources (deb822 "URIs:" with
# "Suites: bookworm"), never a fixed host name. apt's http proxy, if set, is
# passed on.
#
# Exit status: 0 built or already there; 2 debootstrap is missing or failed, or
# no mirror is configured; 3 the mirror cannot be reached (no network), checked
# before debootstrap starts.
set -euo pipefail

suite=bookworm
dir=${1:-/var/cache/sandbox-test/debian-bookworm-minbase}
dir=${dir%/}

if [[ -f $dir/etc/debian_version ]]; then
  echo "make_debian_root: $dir is already built (Debian $(cat "$dir/etc/debian_version"))"
  exit 0
fi

debootstrap=$(command -v debootstrap || true)
[[ -z $debootstrap && -x /usr/sbin/debootstrap ]] && debootstrap=/usr/sbin/debootstrap
if [[ -z $debootstrap ]]; then
  echo "make_debian_root: debootstrap is not installed (apt-get install debootstrap, or run scripts/setup)" >&2
  exit 2
fi
if [[ $(id -u) -ne 0 ]]; then
  echo "make_debian_root: debootstrap must run as root to build $dir" >&2
  exit 2
fi

# find_mirror: prints the URI of the first configured source for $suite.
find_mirror() {
  local f
  if [[ -f /etc/apt/sources.list ]]; then
    # deb [options] URI SUITE COMPONENTS...
    awk -v suite="$suite" '
      $1 == "deb" {
        i = 2
        if ($i ~ /^\[/) { while (i <= NF && $i !~ /\]$/) i++; i++ }
        if ($(i + 1) == suite) { print $i; exit }
      }' /etc/apt/sources.list
  fi
  for f in /etc/apt/sources.list.d/*.list; do
    [[ -f $f ]] || continue
    awk -v suite="$suite" '
      $1 == "deb" {
        i = 2
        if ($i ~ /^\[/) { while (i <= NF && $i !~ /\]$/) i++; i++ }
        if ($(i + 1) == suite) { print $i; exit }
      }' "$f"
  done
  for f in /etc/apt/sources.list.d/*.sources; do
    [[ -f $f ]] || continue
    # deb822 stanzas, separated by blank lines; fields are case-insensitive.
    awk -v suite="$suite" '
      function flush() {
        if (types ~ /(^| )deb( |$)/ && enabled != "no" && uris != "" &&
            (" " suites " ") ~ (" " suite " ")) { split(uris, u, " "); print u[1]; found = 1; exit }
        types = ""; uris = ""; suites = ""; enabled = ""
      }
      /^#/ { next }
      /^[ \t]*$/ { flush(); next }
      /^[ \t]/ { if (last == "uris") uris = uris " " $1; next }
      {
        line = $0; key = tolower(line); sub(/:.*/, "", key)
        val = line; sub(/^[^:]*:[ \t]*/, "", val); gsub(/[ \t]+/, " ", val)
        last = key
        if (key == "types") types = val
        else if (key == "uris") uris = val
        else if (key == "suites") suites = val
        else if (key == "enabled") enabled = tolower(val)
      }
      END { if (!found) flush() }' "$f"
  done
}
mirror=$(find_mirror | head -n1)
if [[ -z $mirror ]]; then
  echo "make_debian_root: no '$suite' source in /etc/apt/sources.list or /etc/apt/sources.list.d/; cannot pick a mirror" >&2
  exit 2
fi
mirror=${mirror%/}

# apt's proxy, for debootstrap's wget, unless the environment sets one.
if [[ -z ${http_proxy:-} ]] && command -v apt-config >/dev/null; then
  proxy=
  eval "$(apt-config shell proxy Acquire::http::Proxy)"
  [[ -n $proxy && $proxy != DIRECT ]] && export http_proxy=$proxy
fi

# No network: say so apart from other failures, so that callers may skip.
if command -v wget >/dev/null; then
  if ! wget -q -T 20 -t 2 -O /dev/null "$mirror/dists/$suite/Release"; then
    echo "make_debian_root: cannot reach the mirror $mirror (no network?)" >&2
    exit 3
  fi
fi

mkdir -p "$(dirname "$dir")"
exec 9>"$dir.lock"
flock 9
# Another caller may have built it while this one waited.
if [[ -f $dir/etc/debian_version ]]; then
  echo "make_debian_root: $dir is already built (Debian $(cat "$dir/etc/debian_version"))"
  exit 0
fi

if [[ -e $dir ]] && [[ -n $(ls -A "$dir" 2>/dev/null) || ! -d $dir ]]; then
  echo "make_debian_root: $dir exists, is not empty and is no Debian root; not replacing it" >&2
  exit 2
fi
staging=$dir.building
rm -rf "$staging"
echo "make_debian_root: debootstrap --variant=minbase $suite $dir from $mirror (a few minutes)"
if ! "$debootstrap" --variant=minbase "$suite" "$staging" "$mirror" >"$dir.log" 2>&1; then
  echo "make_debian_root: debootstrap failed; the last lines of $dir.log:" >&2
  tail -n 20 "$dir.log" >&2
  [[ -f $staging/debootstrap/debootstrap.log ]] && tail -n 20 "$staging/debootstrap/debootstrap.log" >&2
  rm -rf "$staging"
  exit 2
fi
if [[ ! -f $staging/etc/debian_version ]]; then
  echo "make_debian_root: debootstrap succeeded but left no etc/debian_version" >&2
  rm -rf "$staging"
  exit 2
fi
if [[ -e $dir ]] && ! rmdir "$dir" 2>/dev/null; then
  echo "make_debian_root: $dir exists, is not empty and is no Debian root; not replacing it" >&2
  rm -rf "$staging"
  exit 2
fi
mv "$staging" "$dir"
echo "make_debian_root: built $dir (Debian $(cat "$dir/etc/debian_version"))"
