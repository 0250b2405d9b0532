#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# mkspcr.sh OUT io|mem ADDR [BAUD_CODE]: write an ACPI SPCR table (revision 2,
# 80 bytes, checksum included) naming a 16550 at ADDR, for QEMU's
# -acpitable file=OUT. BAUD_CODE: 7 = 115200 (default), 0 = as firmware left it.
set -euo pipefail

out=$1 space=$2 addr=$3 baud=${4:-7}
case $space in io) sid=1 ;; mem) sid=0 ;; *) echo "mkspcr: space io or mem" >&2; exit 2 ;; esac

bytes=()
le() {	# le VALUE NBYTES: little-endian bytes
	local v=$1 n=$2 i
	for ((i = 0; i < n; i++)); do
		bytes+=($(((v >> (8 * i)) & 0xff)))
	done
}
str() { local s=$1 i; for ((i = 0; i < ${#s}; i++)); do bytes+=($(printf '%d' "'${s:i:1}")); done; }

str SPCR; le 80 4; le 2 1; le 0 1		# signature, length, revision, checksum (later)
str VOLLEY; str VOLLSPCR; le 1 4		# OEM ID (6), OEM table ID (8), OEM revision
str VLLY; le 1 4				# creator ID, creator revision
le 0 1; le 0 3					# interface type 0: full 16550; reserved
le "$sid" 1; le 8 1; le 0 1; le 1 1; le "$addr" 8	# GAS: space, 8 bits, offset 0, byte access, address
le 0 1; le 0 1; le 0 4				# interrupt type, IRQ, GSI
le "$baud" 1; le 0 1; le 1 1; le 0 1		# baud, parity, stop bits, flow control
le 0 1; le 0 1					# terminal type, language
le 0xffff 2; le 0xffff 2			# PCI device and vendor ID: not PCI
le 0 1; le 0 1; le 0 1; le 0 4; le 0 1; le 0 4	# bus, device, function, flags, segment, reserved

sum=0
for b in "${bytes[@]}"; do sum=$((sum + b)); done
bytes[9]=$(((256 - sum % 256) % 256))
[[ ${#bytes[@]} -eq 80 ]] || { echo "mkspcr: built ${#bytes[@]} bytes, not 80" >&2; exit 1; }
mkdir -p "$(dirname "$out")"
printf "$(printf '\\x%02x' "${bytes[@]}")" >"$out"
