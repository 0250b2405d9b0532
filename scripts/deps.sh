#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# deps.sh [--quiet] [--linux]: check for the tools volley needs and install the
# missing Debian packages (as root: apt-get; otherwise print the exact command
# and exit 1). Runs before every `make run` / `make test`, so the all-present
# path only looks at files. --linux: also what `make linux-run` boots and
# builds with (Debian's kernel image and its headers, busybox, cpio).
set -euo pipefail

quiet= linux=
for a in "$@"; do
	case $a in
	--quiet) quiet=1 ;;
	--linux) linux=1 ;;
	*) echo "deps: unknown option $a (want --quiet, --linux)" >&2; exit 2 ;;
	esac
done

missing=()	# Debian packages to install
what=()		# what each one was needed for

want() {	# want PACKAGE DESCRIPTION: record a missing package once
	local p
	for p in "${missing[@]}"; do
		[[ $p == "$1" ]] && return 0
	done
	missing+=("$1")
	what+=("$2")
}
have_cmd() { command -v "$1" >/dev/null 2>&1; }

have_cmd gcc || want gcc "gcc (host tests, kernel)"
have_cmd make || want make "make"
have_cmd qemu-system-x86_64 || want qemu-system-x86 "qemu-system-x86_64"
have_cmd grub-mkrescue || want grub-common "grub-mkrescue"
[[ -d /usr/lib/grub/i386-pc ]] || want grub-pc-bin "/usr/lib/grub/i386-pc (BIOS GRUB)"
[[ -d /usr/lib/grub/x86_64-efi ]] || want grub-efi-amd64-bin "/usr/lib/grub/x86_64-efi (UEFI GRUB)"
have_cmd xorriso || want xorriso "xorriso (ISO writer)"
{ have_cmd mformat && have_cmd mcopy; } || want mtools "mformat/mcopy (FAT images)"
compgen -G '/usr/share/OVMF/OVMF_CODE*.fd' >/dev/null ||
	compgen -G '/usr/share/ovmf/OVMF_CODE*.fd' >/dev/null ||
	want ovmf "OVMF_CODE*.fd (UEFI firmware)"
have_cmd gnuplot || want gnuplot-nox "gnuplot (plots)"
# scripts/bochs.sh (the Bochs boot cases): Bochs, its BIOS, the LGPL VGA BIOS.
have_cmd bochs || want bochs "bochs (scripts/bochs.sh)"
[[ -f /usr/share/bochs/BIOS-bochs-latest ]] || want bochsbios "/usr/share/bochs/BIOS-bochs-latest (Bochs's BIOS)"
[[ -f /usr/share/vgabios/vgabios.bin ]] || want vgabios "/usr/share/vgabios/vgabios.bin (Bochs's VGA BIOS)"
# The screen console's font is generated from a Debian console font.
[[ -f /usr/share/consolefonts/Lat15-VGA16.psf.gz ]] ||
	want console-setup-linux "/usr/share/consolefonts/Lat15-VGA16.psf.gz (screen font)"
have_cmd zbarimg || want zbar-tools "zbarimg (QR code tests, make results QR=)"
have_cmd tesseract || want tesseract-ocr "tesseract (screen OCR tests)"
have_cmd pnmtopng || want netpbm "pnmtopng (screendumps to PNG)"
have_cmd clang || want clang "clang (fuzz targets)"
# libFuzzer's runtime is only a Recommends of clang: check for it by path.
if have_cmd clang; then
	rt=$(clang -print-resource-dir 2>/dev/null)/lib/linux/libclang_rt.fuzzer-x86_64.a
	[[ -f $rt ]] || want libclang-rt-dev "libFuzzer runtime (make fuzz)"
else
	want libclang-rt-dev "libFuzzer runtime (make fuzz)"
fi

if [[ -n $linux ]]; then
	# The image and the headers of one version: linux-run pairs them by name.
	compgen -G '/boot/vmlinuz-*' >/dev/null || want linux-image-amd64 "/boot/vmlinuz-* (Debian's kernel)"
	compgen -G '/lib/modules/*/build/Makefile' >/dev/null ||
		want linux-headers-amd64 "/lib/modules/*/build (its headers, for the module)"
	dpkg-query -W -f='${Status}' busybox-static 2>/dev/null | grep -q 'ok installed' ||
		want busybox-static "a static /bin/busybox (the initramfs)"
	have_cmd cpio || want cpio "cpio (the initramfs)"
	have_cmd gzip || want gzip "gzip (the initramfs)"
fi

if [[ ${#missing[@]} -eq 0 ]]; then
	[[ -n $quiet ]] || echo "deps: all present"
	exit 0
fi

echo "deps: missing:" >&2
for i in "${!missing[@]}"; do
	echo "deps:   ${what[$i]}: package ${missing[$i]}" >&2
done
cmd="apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends ${missing[*]}"
if [[ $(id -u) -ne 0 ]]; then
	echo "deps: as root, run:" >&2
	echo "  sudo sh -c '$cmd'" >&2
	exit 1
fi
if ! have_cmd apt-get; then
	echo "deps: no apt-get here; install the equivalent of: ${missing[*]}" >&2
	exit 1
fi
echo "deps: installing: ${missing[*]}" >&2
export DEBIAN_FRONTEND=noninteractive
apt-get update >&2
apt-get install -y --no-install-recommends "${missing[@]}" >&2
