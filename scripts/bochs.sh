#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# bochs.sh: boot the volley ISO once under Bochs, headless, and leave a run
# folder like scripts/run.sh's (serial.log, one CSV per table, run.env, the
# plots). Bochs emulates real CPU models (CPUID tables of Skylake-X, Ryzen,
# ...), x2APIC and a P:C:T topology, which Debian 12's QEMU TCG does not.
#
# Env in (all optional): BOCHS (the binary), CPU (a Bochs model, `bochs
# --help cpu` lists them; default corei7_skylake_x), SMP (packages:cores:threads,
# default 1:2:1; a plain N is N packages of one core), MEM (default 256M),
# IPS (emulated instructions per second, default 50000000: the guest's
# clocks, TSC included, tick at that rate in emulated time), ARGS, OUT, ISO,
# BUILD, TIMEOUT (wall-clock seconds, default 600), QUIET=1, RUN_TAG,
# GFXPAYLOAD (default text, see below).
# The ARGS disk is the first ATA hard disk (GRUB's hd0), the ISO the CD-ROM
# beside it; the BIOS is Bochs's own (BIOS-bochs-latest, ACPI tables included).
# Bochs has no isa-debug-exit: the image halts after its last line, so this
# script watches serial.log for '# volley: done status=N', then stops Bochs.
# Out: as scripts/run.sh: the folder's path last on stdout, the image's status
# as the exit status and in the folder's `status` file; 5 when the run itself
# failed (Bochs could not start, timeout, Bochs ended without the done line).
set -euo pipefail

cd "$(dirname "$0")/.."

BOCHS=${BOCHS:-bochs}
CPU=${CPU:-corei7_skylake_x}
SMP=${SMP:-1:2:1}
MEM=${MEM:-256M}
IPS=${IPS:-50000000}
ARGS=${ARGS:-}
OUT=${OUT:-}
ISO=${ISO:-iso/volley.iso}
BUILD=${BUILD:-build}
TIMEOUT=${TIMEOUT:-600}
QUIET=${QUIET:-}
RUN_TAG=${RUN_TAG:-}
# GRUB 2.06 setting Bochs's VBE mode for the kernel's framebuffer request
# (640x480x8 here) triple-faults before the kernel's first instruction: keep
# the EGA text screen unless asked otherwise.
GFXPAYLOAD=${GFXPAYLOAD:-text}

# shellcheck source=scripts/runlib.sh
. scripts/runlib.sh

[[ -f $ISO ]] || die "$ISO not found; build it with make" 2
[[ $TIMEOUT =~ ^[0-9]+$ && $TIMEOUT -gt 0 ]] || die "TIMEOUT=$TIMEOUT: want seconds > 0" 2
[[ $IPS =~ ^[0-9]+$ && $IPS -gt 0 ]] || die "IPS=$IPS: want instructions per second > 0" 2
if [[ $SMP =~ ^([0-9]+):([0-9]+):([0-9]+)$ ]]; then
	ncpu=$((BASH_REMATCH[1] * BASH_REMATCH[2] * BASH_REMATCH[3]))
elif [[ $SMP =~ ^[0-9]+$ ]]; then
	ncpu=$SMP
else
	die "SMP=$SMP: want packages:cores:threads (1:2:2) or a number" 2
fi
[[ $ncpu -gt 0 ]] || die "SMP=$SMP: no CPUs" 2
case $MEM in
*[Gg]) megs=$((${MEM%[Gg]} * 1024)) ;;
*[Mm]) megs=${MEM%[Mm]} ;;
*) megs=$MEM ;;
esac
[[ $megs =~ ^[0-9]+$ && $megs -gt 0 ]] || die "MEM=$MEM: want megabytes (256M) or gigabytes (1G)" 2
command -v "$BOCHS" >/dev/null || die "$BOCHS not found; run scripts/deps.sh"
bios=/usr/share/bochs/BIOS-bochs-latest
vgabios=/usr/share/bochs/VGABIOS-lgpl-latest	# bochs's link to vgabios's image
[[ -f $bios && -f $vgabios ]] || die "$bios or $vgabios missing; run scripts/deps.sh"
{ command -v mformat >/dev/null && command -v mcopy >/dev/null; } ||
	die "mformat/mcopy (mtools) not found; run scripts/deps.sh"

# ---- run folder --------------------------------------------------------------
if [[ -n $OUT ]]; then
	run=$OUT
else
	base=results/runs/$(date -u +%Y%m%d-%H%M%S)-${RUN_TAG:+$RUN_TAG-}bochs-$CPU-${ncpu}cpu
	run=$base
	n=1
	while [[ -e $run ]]; do run=$base.$((n++)); done
fi
mkdir -p "$run"
if [[ -f $run/run.env ]]; then
	rm -f "$run"/*.csv "$run"/serial.log "$run"/bochs.log "$run"/bochs.out "$run"/plot.log "$run"/status
fi

# ---- ARGS disk: an ATA hard disk of 4 cylinders, 16 heads, 63 sectors (2 MB) --
args_disk "$run" "$run/args.img" 4 16 63

# ---- Bochs configuration --------------------------------------------------------
# Debian's Bochs has no nogui/term display: rfb (a VNC server on port 5900
# or the next free one) with timeout=0 does not wait for a viewer. No sound:
# its ALSA driver dies at start on a machine without a sound card. The
# debugger's prompt is fed `c` (continue) from
# a file, so the simulation starts at once. A triple fault stops Bochs (the
# log says so) instead of rebooting into GRUB again.
echo c >"$run/bochs.rc"
abs=$(cd "$run" && pwd)
iso_abs=$(cd "$(dirname "$ISO")" && pwd)/$(basename "$ISO")
cat >"$run/bochsrc" <<RC
# written by scripts/bochs.sh
megs: $megs
romimage: file=$bios
vgaromimage: file=$vgabios
cpu: model=$CPU, count=$SMP, ips=$IPS, reset_on_triple_fault=0, ignore_bad_msrs=1
ata0-master: type=disk, path=$abs/args.img, mode=flat, cylinders=4, heads=16, spt=63
ata0-slave: type=cdrom, path=$iso_abs, status=inserted
boot: cdrom
com1: enabled=1, mode=file, dev=$abs/serial.log
display_library: rfb, options="timeout=0"
speaker: enabled=0
sound: waveoutdrv=dummy, waveindrv=dummy, midioutdrv=dummy
log: $abs/bochs.log
panic: action=fatal
error: action=report
info: action=report
debug: action=ignore
RC
cmd=("$BOCHS" -q -f "$run/bochsrc" -rc "$run/bochs.rc")
printf '%q ' "${cmd[@]}" >"$run/bochs.cmd"
echo >>"$run/bochs.cmd"

bochs_version=$("$BOCHS" --help 2>&1 </dev/null | sed -n 's/.*Bochs x86 Emulator \([^ ]*\).*/\1/p' | head -n1)
{
	echo "accel=bochs"
	echo "accel_reason=scripts/bochs.sh (Bochs, CPU model $CPU)"
	echo "firmware=bios"
	echo "firmware_image=$(basename "$bios")"
	echo "machine=bochs"
	echo "cpu=$CPU"
	echo "smp=$SMP"
	echo "ncpu=$ncpu"
	echo "mem=$MEM"
	echo "ips=$IPS"
	echo "args=$ARGS"
	echo "bochs=${bochs_version:-unknown}"
	host_facts
	echo "iso=$ISO"
	echo "date=$(date -u +%Y-%m-%dT%H:%M:%SZ)"
} >"$run/run.env"

# ---- boot, then wait for the done line -------------------------------------------
say "folder $run; timeout ${TIMEOUT}s"
say "$(cat "$run/bochs.cmd")"
: >"$run/serial.log"
start=$SECONDS
timeout -k 10 "$TIMEOUT" "${cmd[@]}" </dev/null >"$run/bochs.out" 2>&1 &
bpid=$!
trap 'kill -TERM "$bpid" 2>/dev/null; wait "$bpid" 2>/dev/null; exit 130' INT TERM
done_status=
while kill -0 "$bpid" 2>/dev/null; do
	done_status=$(serial_status "$run")
	[[ -z $done_status ]] || break
	sleep 1
done
if [[ -n $done_status ]]; then
	# The image halts after the done line: nothing more will come.
	kill -TERM "$bpid" 2>/dev/null || true
fi
rc=0
wait "$bpid" || rc=$?
trap - INT TERM
elapsed=$((SECONDS - start))

# ---- status ---------------------------------------------------------------------
done_status=$(serial_status "$run")
msg=
if [[ -n $done_status ]]; then
	status=$done_status
elif [[ $rc -eq 124 || $rc -eq 137 ]]; then
	status=$STATUS_RUN_FAILED
	msg="timed out after $TIMEOUT s"
else
	status=$STATUS_RUN_FAILED
	why=$(grep -aE '\] (PANIC|>>PANIC<<)|triple fault|fatal' "$run/bochs.log" "$run/bochs.out" 2>/dev/null |
		head -n1 || true)
	msg="Bochs exited $rc without '# volley: done status=N'${why:+: $why}"
fi
{
	echo "elapsed_s=$elapsed"
	echo "bochs_exit=$rc"
	echo "status=$status"
} >>"$run/run.env"
[[ -z $msg ]] || note "$msg"
say "image status $status after ${elapsed}s"

# ---- CSVs and plots ---------------------------------------------------------------
finish_run "$run" "$status"
