#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# linux_run.sh (behind `make linux-run`): boot Debian's kernel under QEMU with
# the Linux side of volley (linux/) in an initramfs of our own, and leave a run
# folder like make run's (scripts/run.sh does the boot, the status, the CSVs
# and the plots).
#
# Env in: as scripts/run.sh (SMP ACCEL CPU MEM ARGS OUT MACHINE EXTRA TIMEOUT
# BUILD), plus LINUX_KVER (a version under /boot and /lib/modules; default the
# newest that has both vmlinuz and headers), TLBBENCH (the built program),
# VERSION. ARGS go to linux/init.sh (quick, iters=N, bench=..., wait=...).
set -euo pipefail

cd "$(dirname "$0")/.."

BUILD=${BUILD:-build}
TLBBENCH=${TLBBENCH:-$BUILD/linux/tlbbench}
LINUX_KVER=${LINUX_KVER:-}

die() {
	echo "linux-run: $1" >&2
	exit "${2:-5}"
}

# The image and the headers it was built with, paired by version (Debian's
# linux-image-amd64 and linux-headers-amd64): not the host's running kernel.
if [[ -z $LINUX_KVER ]]; then
	for v in $(ls /boot/vmlinuz-* 2>/dev/null | sed 's|^/boot/vmlinuz-||' | sort -V); do
		[[ -f /lib/modules/$v/build/Makefile ]] && LINUX_KVER=$v
	done
fi
[[ -n $LINUX_KVER ]] ||
	die "no /boot/vmlinuz-<v> with /lib/modules/<v>/build: apt-get install linux-image-amd64 linux-headers-amd64" 2
kernel=/boot/vmlinuz-$LINUX_KVER
[[ -r $kernel ]] || die "$kernel not readable" 2
[[ -x $TLBBENCH ]] || die "$TLBBENCH not built (make $TLBBENCH)" 2
busybox=$(command -v busybox || echo /bin/busybox)
[[ -x $busybox ]] || die "no busybox: apt-get install busybox-static" 2

# ---- the module, against that kernel's headers -------------------------------
moddir=$BUILD/linux/mod-$LINUX_KVER
make --no-print-directory -s linux-module KDIR="/lib/modules/$LINUX_KVER/build" \
	LINUX_KVER="$LINUX_KVER" BUILD="$BUILD" >"$BUILD/linux/module-$LINUX_KVER.log" 2>&1 ||
	{ cat "$BUILD/linux/module-$LINUX_KVER.log" >&2; die "module build failed" 2; }

# ---- the initramfs: busybox, /init, the module, tlbbench ----------------------
root=$BUILD/linux/initramfs-$LINUX_KVER
rm -rf "$root"
mkdir -p "$root/bin" "$root/dev" "$root/proc" "$root/sys" "$root/tmp"
cp "$busybox" "$root/bin/busybox"
install -m 0755 linux/init.sh "$root/init"
strip --strip-debug -o "$root/volley.ko" "$moddir/volley.ko"
install -m 0755 "$TLBBENCH" "$root/tlbbench"
initrd=$BUILD/linux/initrd-$LINUX_KVER.gz
(cd "$root" && find . | cpio -o -H newc --quiet | gzip -1) >"$initrd"

# loglevel=1: the kernel's messages stay off the console while tables print
# (init.sh checks the log itself); idle=halt: an idle CPU waits in hlt.
append="console=ttyS0,115200 loglevel=1 idle=halt panic=-1 rdinit=/init -- $ARGS"
export KERNEL=$kernel INITRD=$initrd APPEND=$append RUN_TAG=linux
exec scripts/run.sh
