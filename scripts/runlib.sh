# SPDX-License-Identifier: MIT
# shellcheck shell=bash
# runlib.sh: what the emulator runners (scripts/run.sh for QEMU,
# scripts/bochs.sh for Bochs) share: messages, the ARGS disk GRUB reads,
# the host facts of run.env, and the run folder's end (status file, CSVs,
# plots). Sourced, not run; the runner sets QUIET, ARGS, GFXPAYLOAD, BUILD.

STATUS_RUN_FAILED=5

say() { [[ -n $QUIET ]] || echo "# run: $*"; }
note() { echo "# run: $*"; }
die() {
	echo "run: $1" >&2
	exit "${2:-$STATUS_RUN_FAILED}"
}

# GRUB finds /volley-run.cfg on this disk (see iso/grub.cfg). Each word of ARGS
# is single-quoted for GRUB's script parser, so $, ;, { and quotes reach the
# kernel as typed.
grub_quote() {
	local s=$1
	printf "'%s'" "${s//\'/\'\\\'\'}"
}

# args_disk RUN IMG [CYLINDERS HEADS SECTORS]: writes RUN/volley-run.cfg (the
# default entry with $ARGS and $GFXPAYLOAD) and a FAT image IMG holding it.
# Without a geometry IMG is a 1.44 MB floppy-format image (QEMU's virtio
# drive takes any size); with one IMG has exactly that many sectors, for an
# emulator that wants a CHS hard disk (Bochs's ATA disks).
args_disk() {
	local run=$1 img=$2 w entry
	local words=()
	read -r -a words <<<"$ARGS" || true
	entry="multiboot2 /boot/volley.elf"
	for w in "${words[@]}"; do
		entry+=" $(grub_quote "$w")"
	done
	cat >"$run/volley-run.cfg" <<CFG
# written by scripts/${0##*/}
set timeout=0
set timeout_style=hidden
set default=0
menuentry 'volley (make run)' {
	$entry${GFXPAYLOAD:+
	set gfxpayload=$(grub_quote "$GFXPAYLOAD")}
	boot
}
CFG
	rm -f "$img"
	if [[ $# -eq 5 ]]; then
		truncate -s $(($3 * $4 * $5 * 512)) "$img"
		MTOOLS_SKIP_CHECK=1 mformat -i "$img" -t "$3" -h "$4" -s "$5" :: >/dev/null
	else
		MTOOLS_SKIP_CHECK=1 mformat -i "$img" -C -f 1440 :: >/dev/null
	fi
	MTOOLS_SKIP_CHECK=1 mcopy -i "$img" "$run/volley-run.cfg" ::/volley-run.cfg
}

# host_facts: run.env's lines about the machine that ran the emulator.
host_facts() {
	local host_cpu
	host_cpu=$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo 2>/dev/null | head -n1)
	echo "host=$(uname -n)"
	echo "host_cpu=${host_cpu:-unknown}"
	echo "host_kernel=$(uname -r)"
}

# serial_status RUN: N of the last '# volley: done status=N' in serial.log.
serial_status() {
	grep -aoE 'volley: done status=[0-9]+' "$1/serial.log" 2>/dev/null |
		tail -n1 | sed 's/.*=//' || true
}

# finish_run RUN STATUS: writes RUN/status, splits serial.log into one CSV per
# table and draws the plots, prints the folder's path as the last line and
# exits with STATUS.
finish_run() {
	local run=$1 status=$2
	# make can only exit 0 or 2: the status itself is in this file and in our exit.
	echo "$status" >"$run/status"
	local vsplit=$BUILD/host/vsplit
	if [[ -x $vsplit ]]; then
		if [[ -n $QUIET ]]; then
			"$vsplit" "$run/serial.log" "$run" >/dev/null || true
		else
			"$vsplit" "$run/serial.log" "$run" || true
		fi
	else
		note "$vsplit not built (make tools): no CSVs"
	fi
	if [[ -x results/plot.sh ]] && command -v gnuplot >/dev/null; then
		if ! RUN=$run results/plot.sh "$run" >"$run/plot.log" 2>&1; then
			note "results/plot.sh failed (see $run/plot.log)"
		fi
	elif [[ -z $QUIET ]]; then
		note "no plots (results/plot.sh or gnuplot missing)"
	fi
	echo "$run"
	exit "$status"
}
