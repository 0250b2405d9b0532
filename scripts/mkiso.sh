#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# mkiso.sh ELF GRUBCFG ISO: build a hybrid ISO (BIOS via SeaBIOS/El Torito and
# UEFI x86_64) that boots ELF through GRUB multiboot2. Quiet unless it fails.
set -euo pipefail

if [[ $# -ne 3 ]]; then
	echo "usage: $0 ELF GRUBCFG ISO" >&2
	exit 2
fi
elf=$1 cfg=$2 iso=$3

for f in "$elf" "$cfg"; do
	[[ -f $f ]] || { echo "mkiso: $f: no such file" >&2; exit 1; }
done
need=()
command -v grub-mkrescue >/dev/null || need+=(grub-mkrescue)
command -v xorriso >/dev/null || need+=(xorriso)
command -v mformat >/dev/null || need+=("mformat (mtools)")
# grub-mkrescue silently drops a platform whose modules are missing: insist on
# both, or the ISO would boot on only one kind of firmware.
[[ -d /usr/lib/grub/i386-pc ]] || need+=("/usr/lib/grub/i386-pc (grub-pc-bin)")
[[ -d /usr/lib/grub/x86_64-efi ]] || need+=("/usr/lib/grub/x86_64-efi (grub-efi-amd64-bin)")
if [[ ${#need[@]} -gt 0 ]]; then
	echo "mkiso: missing: ${need[*]}; run scripts/deps.sh" >&2
	exit 1
fi

stage=$(mktemp -d "${TMPDIR:-/tmp}/volley-iso.XXXXXX")
log=$stage.log
trap 'rm -rf "$stage" "$log"' EXIT

mkdir -p "$stage/boot/grub" "$(dirname "$iso")"
cp "$elf" "$stage/boot/volley.elf"
cp "$cfg" "$stage/boot/grub/grub.cfg"

# Write next to the target and rename, so a failed build never leaves a
# half-written ISO that make would consider up to date.
tmp_iso=$iso.tmp.$$
if ! grub-mkrescue -o "$tmp_iso" "$stage" >"$log" 2>&1; then
	cat "$log" >&2
	rm -f "$tmp_iso"
	echo "mkiso: grub-mkrescue failed" >&2
	exit 1
fi
mv -f "$tmp_iso" "$iso"
