#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# run.sh: boot the volley ISO once under QEMU and leave a run folder holding
# serial.log, one CSV per table, run.env and the plots (behind `make run`).
#
# Env in (all optional): QEMU SMP ACCEL=kvm|tcg FIRMWARE=bios|uefi
# MACHINE=q35|pc CPU MEM ARGS OUT ISO BUILD, TIMEOUT (wall-clock seconds,
# default 600), QUIET=1 (only problems and the folder), EXTRA (more QEMU
# arguments, split on blanks, e.g. EXTRA="-numa node,cpus=0-1 -numa node,cpus=2-3"),
# SCREEN=1 (a VGA display, -vga std: QEMU's screen is dumped twice a second
# through its monitor and the last complete dump kept as screen.png; add
# hold_ms= to ARGS so the end page stays up long enough), SERIAL=file|none
# (none: the machine has no serial port; default file: COM1 to serial.log;
# file2: also COM2 to serial2.log, for a UART that ACPI's SPCR names),
# GFXPAYLOAD (GRUB's gfxpayload for the entry, set after multiboot2 has set
# it from the kernel's framebuffer request, so it overrides that: "text" for EGA text mode, "1920x1080x32" for a large
# screen).
# KERNEL, INITRD, APPEND: boot that kernel directly (-kernel/-initrd/-append)
# instead of the ISO, as scripts/linux_run.sh does; RUN_TAG names the run
# folder (<stamp>-<tag>-<accel>-<n>cpu).
# Out: the run folder's path as the last line of stdout; the exit status (and
# the run folder's `status` file, one number) is the image's status (0 ok, 1 errors, 2 bad cmdline, 3 panic/reset, 4 SMP failed),
# or 5 when the run itself failed (no usable KVM when forced, QEMU could not
# start, timeout).
set -euo pipefail

cd "$(dirname "$0")/.."

QEMU=${QEMU:-qemu-system-x86_64}
SMP=${SMP:-4}
ACCEL=${ACCEL:-}
FIRMWARE=${FIRMWARE:-bios}
MACHINE=${MACHINE:-q35}
CPU=${CPU:-}
MEM=${MEM:-512M}
ARGS=${ARGS:-}
OUT=${OUT:-}
ISO=${ISO:-iso/volley.iso}
BUILD=${BUILD:-build}
TIMEOUT=${TIMEOUT:-600}
QUIET=${QUIET:-}
SCREEN=${SCREEN:-}
SERIAL=${SERIAL:-file}
GFXPAYLOAD=${GFXPAYLOAD:-}
KERNEL=${KERNEL:-}
INITRD=${INITRD:-}
APPEND=${APPEND:-}
RUN_TAG=${RUN_TAG:-}

# shellcheck source=scripts/runlib.sh
. scripts/runlib.sh

if [[ -n $KERNEL ]]; then
	[[ -f $KERNEL && -f $INITRD ]] || die "KERNEL=$KERNEL INITRD=$INITRD: not found" 2
else
	[[ -f $ISO ]] || die "$ISO not found; build it with make" 2
fi
[[ $TIMEOUT =~ ^[0-9]+$ && $TIMEOUT -gt 0 ]] || die "TIMEOUT=$TIMEOUT: want seconds > 0" 2
case $FIRMWARE in bios|uefi) ;; *) die "FIRMWARE=$FIRMWARE: want bios or uefi" 2 ;; esac
case $SERIAL in file|file2|none) ;; *) die "SERIAL=$SERIAL: want file, file2 or none" 2 ;; esac
if [[ -n $SCREEN ]]; then
	command -v pnmtopng >/dev/null || die "pnmtopng (netpbm) not found; run scripts/deps.sh"
fi
command -v "$QEMU" >/dev/null || die "$QEMU not found; run scripts/deps.sh"
[[ -n $KERNEL ]] || { command -v mformat >/dev/null && command -v mcopy >/dev/null; } ||
	die "mformat/mcopy (mtools) not found; run scripts/deps.sh"

# ---- accelerator -------------------------------------------------------------
# A nested software hypervisor (kvm_pvm) makes firmware crawl (SeaBIOS+GRUB
# ~45 s, OVMF minutes) and traps rdtsc, so TCG is the better default there.
kvm_usable=
[[ -c /dev/kvm && -r /dev/kvm && -w /dev/kvm ]] && kvm_usable=1
if [[ -z $kvm_usable ]]; then
	kvm_kind=none
elif [[ -d /sys/module/kvm_pvm ]]; then
	kvm_kind=pvm
elif [[ -d /sys/module/kvm_intel || -d /sys/module/kvm_amd ]]; then
	kvm_kind=hw
else
	kvm_kind=unknown
fi

case $ACCEL in
kvm)
	[[ -n $kvm_usable ]] ||
		die "ACCEL=kvm but /dev/kvm is missing or not read-write for $(id -un)"
	accel=kvm
	accel_reason="ACCEL=kvm forces it (kvm kind: $kvm_kind)"
	;;
tcg)
	accel=tcg
	accel_reason="ACCEL=tcg forces it"
	;;
'')
	case $kvm_kind in
	hw)
		accel=kvm
		accel_reason="/dev/kvm is hardware-assisted; ACCEL=tcg forces TCG" ;;
	unknown)
		accel=kvm
		accel_reason="/dev/kvm is usable (no kvm_intel/kvm_amd/kvm_pvm module seen); ACCEL=tcg forces TCG" ;;
	pvm)
		accel=tcg
		accel_reason="/dev/kvm is kvm_pvm, a nested software hypervisor (firmware ~45 s+, rdtsc traps); ACCEL=kvm forces it" ;;
	none)
		accel=tcg
		accel_reason="no usable /dev/kvm" ;;
	esac
	;;
*)
	die "ACCEL=$ACCEL: want kvm or tcg" 2
	;;
esac
if [[ -z $CPU ]]; then
	if [[ $accel == tcg ]]; then
		CPU=max
	elif [[ $kvm_kind == pvm ]]; then
		# kvm_pvm refuses IA32_ARCH_CAPABILITIES (MSR 0x10a) and QEMU
		# aborts on it with plain `host`.
		CPU=host,-arch-capabilities
	else
		CPU=host
	fi
fi
say "accel=$accel: $accel_reason"

# ---- run folder --------------------------------------------------------------
ncpu=${SMP%%[!0-9]*}
if [[ -n $OUT ]]; then
	run=$OUT
else
	base=results/runs/$(date -u +%Y%m%d-%H%M%S)-${RUN_TAG:+$RUN_TAG-}$accel-${ncpu:-x}cpu
	run=$base
	n=1
	while [[ -e $run ]]; do run=$base.$((n++)); done
fi
mkdir -p "$run"
# A reused folder must not show the previous run's tables as this run's.
if [[ -f $run/run.env ]]; then
	rm -f "$run"/*.csv "$run"/serial.log "$run"/serial2.log "$run"/qemu.log "$run"/plot.log "$run"/status \
		"$run"/screen.png
	rm -rf "$run/screens"
fi

# ---- ARGS disk (the ISO only; a direct kernel boot takes APPEND) ---------------
[[ -n $KERNEL ]] || args_disk "$run" "$run/args.img"

# ---- QEMU command ---------------------------------------------------------------
# shellcheck disable=SC2054 # the commas belong to QEMU option values
cmd=("$QEMU" -machine "$MACHINE" -accel "$accel" -cpu "$CPU" -smp "$SMP" -m "$MEM")
if [[ -n $KERNEL ]]; then
	cmd+=(-kernel "$KERNEL" -initrd "$INITRD" -append "$APPEND")
else
	cmd+=(-cdrom "$ISO" -boot d
		-drive "file=$run/args.img,format=raw,if=virtio,readonly=on")
fi
cmd+=(-display none -nic none -no-reboot
	-device isa-debug-exit,iobase=0xf4,iosize=0x04)
if [[ $SERIAL == none ]]; then
	cmd+=(-serial none)
else
	cmd+=(-serial "file:$run/serial.log")
	[[ $SERIAL != file2 ]] || cmd+=(-serial "file:$run/serial2.log")
fi
# With a screen, the monitor reads commands from a FIFO (screendumps below).
if [[ -n $SCREEN ]]; then
	cmd+=(-vga std -monitor stdio)
else
	cmd+=(-vga none -monitor none)
fi
if [[ -n ${EXTRA:-} ]]; then
	read -r -a extra <<<"$EXTRA"
	cmd+=("${extra[@]}")
fi
fw_desc=seabios
if [[ $FIRMWARE == uefi ]]; then
	code='' vars=''
	for dir in /usr/share/OVMF /usr/share/ovmf /usr/share/qemu; do
		for sfx in _4M ''; do
			if [[ -f $dir/OVMF_CODE$sfx.fd && -f $dir/OVMF_VARS$sfx.fd ]]; then
				code=$dir/OVMF_CODE$sfx.fd
				vars=$dir/OVMF_VARS$sfx.fd
				break 2
			fi
		done
	done
	[[ -n $code ]] || die "FIRMWARE=uefi: no OVMF_CODE*.fd/OVMF_VARS*.fd; run scripts/deps.sh"
	# OVMF writes its variable store: give each run its own copy.
	cp "$vars" "$run/OVMF_VARS.fd"
	cmd+=(-drive "if=pflash,format=raw,unit=0,readonly=on,file=$code"
		-drive "if=pflash,format=raw,unit=1,file=$run/OVMF_VARS.fd")
	fw_desc="ovmf $(basename "$code")"
fi
printf '%q ' "${cmd[@]}" >"$run/qemu.cmd"
echo >>"$run/qemu.cmd"

qemu_version=$("$QEMU" --version 2>/dev/null | head -n1 | sed -n 's/.*version \([^ ]*\).*/\1/p')
{
	echo "accel=$accel"
	echo "accel_reason=$accel_reason"
	echo "kvm_kind=$kvm_kind"
	echo "firmware=$FIRMWARE"
	echo "firmware_image=$fw_desc"
	echo "machine=$MACHINE"
	echo "cpu=$CPU"
	echo "smp=$SMP"
	echo "ncpu=${ncpu:-}"
	echo "mem=$MEM"
	echo "args=$ARGS"
	echo "qemu=${qemu_version:-unknown}"
	host_facts
	if [[ -n $KERNEL ]]; then
		echo "side=linux"
		echo "kernel=$KERNEL"
		echo "initrd=$INITRD"
		echo "append=$APPEND"
	else
		echo "iso=$ISO"
	fi
	echo "date=$(date -u +%Y-%m-%dT%H:%M:%SZ)"
} >"$run/run.env"

# ---- boot ----------------------------------------------------------------------
say "folder $run; timeout ${TIMEOUT}s"
say "$(cat "$run/qemu.cmd")"
: >"$run/serial.log"
start=$SECONDS
dpid=
if [[ -n $SCREEN ]]; then
	mkdir -p "$run/screens"
	rm -f "$run/monitor.fifo"
	mkfifo "$run/monitor.fifo"
	timeout -k 10 "$TIMEOUT" "${cmd[@]}" <"$run/monitor.fifo" >"$run/monitor.log" 2>"$run/qemu.log" &
	qpid=$!
	exec 3>"$run/monitor.fifo"
	# Four dumps in turn, twice a second: the last complete one is the
	# last screen (QEMU may exit in the middle of writing one).
	(
		trap '' PIPE
		i=0
		while kill -0 "$qpid" 2>/dev/null; do
			echo "screendump $run/screens/$((i % 4)).ppm" >&3 || break
			i=$((i + 1))
			sleep 0.5
		done
	) 2>/dev/null &
	dpid=$!
else
	timeout -k 10 "$TIMEOUT" "${cmd[@]}" </dev/null 2>"$run/qemu.log" &
	qpid=$!
fi
# timeout(1) runs in its own process group, out of reach of the terminal's ^C.
trap 'kill -TERM "$qpid" 2>/dev/null; wait "$qpid" 2>/dev/null; exit 130' INT TERM
# Show people's progress lines while a long suite runs.
tpid=
if [[ -z $QUIET && -t 1 ]]; then
	tail -n +1 -f --pid="$qpid" "$run/serial.log" 2>/dev/null |
		grep -a --line-buffered -E '^(# |@table )' &
	tpid=$!
fi
rc=0
wait "$qpid" || rc=$?
trap - INT TERM
if [[ -n $SCREEN ]]; then
	exec 3>&-
	[[ -z $dpid ]] || wait "$dpid" 2>/dev/null || true
	rm -f "$run/monitor.fifo"
	for f in $(ls -t "$run"/screens/*.ppm 2>/dev/null); do
		if pnmtopng "$f" >"$run/screen.png" 2>/dev/null; then
			break
		fi
		rm -f "$run/screen.png"
	done
	rm -rf "$run/screens"
	[[ -f $run/screen.png ]] || note "no complete screendump"
fi
[[ -z $tpid ]] || wait "$tpid" 2>/dev/null || true
elapsed=$((SECONDS - start))

# ---- status ---------------------------------------------------------------------
# isa-debug-exit: writing v to 0xf4 makes QEMU exit with (v << 1) | 1.
serial_status=$(serial_status "$run")
msg=
if [[ $rc -eq 124 || $rc -eq 137 ]]; then
	status=$STATUS_RUN_FAILED
	msg="timed out after $TIMEOUT s"
elif [[ $rc -eq 1 && ! -s $run/serial.log ]] && grep -qE '^qemu-system[^:]*: ' "$run/qemu.log"; then
	status=$STATUS_RUN_FAILED
	msg="QEMU failed: $(grep -E '^qemu-system[^:]*: ' "$run/qemu.log" | head -n1)"
elif [[ $rc -eq 0 ]]; then
	status=3
	msg="QEMU exited 0: the guest reset or powered off without isa-debug-exit (a triple fault under -no-reboot?)"
elif [[ $rc -gt 128 ]]; then
	status=$STATUS_RUN_FAILED
	msg="QEMU killed by signal $((rc - 128))"
elif ((rc % 2 == 1)); then
	status=$(((rc - 1) / 2))
else
	status=$STATUS_RUN_FAILED
	msg="QEMU exited $rc"
fi
{
	echo "elapsed_s=$elapsed"
	echo "qemu_exit=$rc"
	echo "status=$status"
} >>"$run/run.env"
[[ -z $msg ]] || note "$msg"
if [[ -z $serial_status ]]; then
	[[ $status -eq $STATUS_RUN_FAILED ]] ||
		note "serial.log has no '# volley: done status=N' line (image status $status)"
elif [[ $serial_status != "$status" ]]; then
	note "serial.log says done status=$serial_status but QEMU's exit says image status $status"
fi
say "image status $status after ${elapsed}s"

# ---- CSVs and plots ---------------------------------------------------------------
finish_run "$run" "$status"
