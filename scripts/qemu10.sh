#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# qemu10.sh [--path]: a private QEMU 10 from Debian's bookworm-backports,
# unpacked next to (not over) the system's QEMU 7.2. QEMU 10's TCG has
# x2APIC and takes more than 255 vCPUs on q35, which the big boot cases need.
#
# The backports suite lives in a private apt configuration under $QEMU10_DIR
# (default build/qemu10), so the system's sources and packages stay as they
# are: `apt-get download` the .debs, `dpkg -x` them, and write a wrapper
# $QEMU10_DIR/qemu-system-x86_64 that sets LD_LIBRARY_PATH and -L (firmware).
# Idempotent: a second call only checks the wrapper runs. Prints the wrapper's
# path last (--path: nothing else). Needs network access to the Debian archive
# once; no root.
set -euo pipefail

cd "$(dirname "$0")/.."

dir=${QEMU10_DIR:-build/qemu10}
mkdir -p "$dir"
dir=$(cd "$dir" && pwd)
wrapper=$dir/qemu-system-x86_64
quiet=
[[ ${1:-} == --path ]] && quiet=1
say() { [[ -n $quiet ]] || echo "qemu10: $*" >&2; }

if [[ -x $wrapper ]] && "$wrapper" --version 2>/dev/null | grep -q 'version 10\.'; then
	say "present: $("$wrapper" --version | head -n1)"
	echo "$wrapper"
	exit 0
fi

apt=$dir/apt
mkdir -p "$apt/lists/partial" "$apt/cache/archives/partial" "$apt/debs"
cat >"$apt/sources.list" <<'EOF'
deb [signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] http://deb.debian.org/debian bookworm-backports main
EOF
aptopts=(-o "Dir::Etc::SourceList=$apt/sources.list" -o "Dir::Etc::SourceParts=/dev/null"
	-o "Dir::State::Lists=$apt/lists" -o "Dir::Cache=$apt/cache"
	-o "APT::Get::List-Cleanup=0" -o "Debug::NoLocking=1")
say "apt-get update (bookworm-backports, private lists in $apt)"
apt-get "${aptopts[@]}" -q update >&2

# The system QEMU's libraries (Debian 12) satisfy QEMU 10's Depends, except
# what the firmware and data packages bring: take those from backports.
pkgs=(qemu-system-x86 qemu-system-common qemu-system-data seabios)
(cd "$apt/debs" && rm -f ./*.deb &&
	apt-get "${aptopts[@]}" -q download "${pkgs[@]/%//bookworm-backports}") >&2
root=$dir/root
rm -rf "$root"
mkdir -p "$root"
for deb in "$apt"/debs/*.deb; do
	dpkg -x "$deb" "$root"
done
# ipxe option ROMs: QEMU 10's data package links them from ipxe-qemu; -nic
# none means none is loaded, but point at the system's copies when present.
bin=$root/usr/bin/qemu-system-x86_64
[[ -x $bin ]] || { echo "qemu10: $bin missing after extraction" >&2; exit 1; }
libs=$root/usr/lib/x86_64-linux-gnu
missing=$(LD_LIBRARY_PATH=$libs ldd "$bin" | awk '/not found/ {print $1}')
if [[ -n $missing ]]; then
	echo "qemu10: libraries missing (install them from Debian 12):" $missing >&2
	exit 1
fi
cat >"$wrapper" <<EOF
#!/bin/sh
# written by scripts/qemu10.sh: QEMU 10 from bookworm-backports, unpacked here
export LD_LIBRARY_PATH="$libs\${LD_LIBRARY_PATH:+:\$LD_LIBRARY_PATH}"
exec "$bin" -L "$root/usr/share/qemu" -L "$root/usr/share/seabios" -L /usr/share/qemu "\$@"
EOF
chmod +x "$wrapper"
"$wrapper" --version | head -n1 >&2
echo "$wrapper"
