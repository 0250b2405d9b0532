#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# test.sh [--unit-only] UNIT_BIN...: run the host unit tests, then (unless
# --unit-only) the QEMU boot tests of tests/boot.cfg (behind `make test`).
#
# Unit binaries print "ok - ..." / "not ok - ..." lines; a binary that crashes
# or exits nonzero without a "not ok" line counts as one failure. Boot tests
# each run scripts/run.sh with QUIET=1 OUT=$BUILD/tests/NAME; a run that
# printed tables (status 0 or 1) must also pass $BUILD/host/vcheck (the value
# checker) unless its case says `vcheck = no` (`vcheck = fail`: it must fail).
# Cases with `emulator = bochs` run scripts/bochs.sh instead (Bochs's CPU
# models, x2APIC, P:C:T topologies).
# Env: GROUPS (or TEST_GROUPS) = space list of boot-test groups, default
# "smoke quick", "all" for every case; TESTS = space list of case names to run
# (default all selected by group); ACCEL, when set, is used by cases that do
# not name an accel; KVM_PVM_SKIP=1 skips kvm cases under kvm_pvm;
# QEMU, ISO, BUILD as for run.sh.
# The last line is "N passed, N failed" (", N skipped" when any); the exit
# status is 1 when anything failed.
set -euo pipefail

cd "$(dirname "$0")/.."

BUILD=${BUILD:-build}
export BUILD
CFG=${BOOT_CFG:-tests/boot.cfg}

unit_only=
if [[ ${1:-} == --unit-only ]]; then
	unit_only=1
	shift
fi

# bash gives GROUPS a special meaning (the user's gids, a number) unless the
# environment set it: `make test GROUPS=all` does; TEST_GROUPS always works.
groups=${TEST_GROUPS:-}
if [[ -z $groups && -n ${GROUPS:-} && ! ${GROUPS:-} =~ ^[0-9]+$ ]]; then
	groups=$GROUPS
fi
groups=${groups:-smoke quick}
only=${TESTS:-}
env_accel=${ACCEL:-}

passed=0 failed=0 skipped=0

# ---- unit tests ---------------------------------------------------------------
for bin in "$@"; do
	name=${bin##*/}
	if [[ ! -x $bin ]]; then
		echo "not ok - $name: not built"
		failed=$((failed + 1))
		continue
	fi
	rc=0
	out=$("$bin" 2>&1) || rc=$?
	[[ -z $out ]] || printf '%s\n' "$out"
	p=$(grep -c '^ok - ' <<<"$out" || true)
	f=$(grep -c '^not ok - ' <<<"$out" || true)
	passed=$((passed + p))
	failed=$((failed + f))
	if [[ $rc -ne 0 && $f -eq 0 ]]; then
		echo "not ok - $name: exited $rc without a failing test (crash?)"
		failed=$((failed + 1))
	fi
done

summary() {
	local s="$passed passed, $failed failed"
	[[ $skipped -eq 0 ]] || s+=", $skipped skipped"
	echo "$s"
	[[ $failed -eq 0 ]]
}

if [[ -n $unit_only ]]; then
	summary
	exit
fi

# ---- fuzz targets, briefly (make fuzz runs them longer) ------------------------
if [[ ${FUZZ_SECONDS:-10} -gt 0 ]]; then
	out=$(scripts/fuzz.sh "${FUZZ_SECONDS:-10}" 2>&1) || true
	printf '%s\n' "$out"
	passed=$((passed + $(grep -c '^ok - ' <<<"$out" || true)))
	failed=$((failed + $(grep -c '^not ok - ' <<<"$out" || true)))
fi

# ---- plots on synthetic run folders (2 and 16 CPUs), compare, bad folders -------
out=$(tests/test_plot.sh 2>&1) || true
printf '%s\n' "$out"
passed=$((passed + $(grep -c '^ok - ' <<<"$out" || true)))
failed=$((failed + $(grep -c '^not ok - ' <<<"$out" || true)))

# ---- make results on captured logs (CRLF, noise, cut off) ----------------------
out=$(BUILD=$BUILD tests/test_results.sh 2>&1) || true
printf '%s\n' "$out"
passed=$((passed + $(grep -c '^ok - ' <<<"$out" || true)))
failed=$((failed + $(grep -c '^not ok - ' <<<"$out" || true)))

# ---- boot tests ---------------------------------------------------------------
[[ -f $CFG ]] || { echo "not ok - boot: $CFG missing"; failed=$((failed + 1)); summary; exit; }

# SPCR tables for -acpitable (boot.cfg's spcr cases): COM2, and a port with no UART.
tests/mkspcr.sh "$BUILD/spcr/com2.bin" io 0x2f8
tests/mkspcr.sh "$BUILD/spcr/bad.bin" io 0x2e0

kvm_usable=
[[ -c /dev/kvm && -r /dev/kvm && -w /dev/kvm ]] && kvm_usable=1
# Under kvm_pvm (a nested software hypervisor) SeaBIOS+GRUB alone take a
# minute or more: kvm cases still run (one keeps ACCEL=kvm working), with a
# long bound; KVM_PVM_SKIP=1 skips them.
kvm_pvm=
[[ -n $kvm_usable && -d /sys/module/kvm_pvm ]] && kvm_pvm=1

# The case being parsed: scalar keys in c_*, lists in arrays.
reset_case() {
	c_name=$1 c_smp=2 c_accel='' c_firmware=bios c_machine=q35 c_cpu=''
	c_mem=256M c_args='' c_extra='' c_status=0 c_timeout=300 c_group=quick
	c_screen='' c_serial=file c_gfx='' c_side=volley c_qemu='' c_iso=''
	c_expect=() c_reject=() c_check=() c_vcheck=yes c_emulator=qemu c_bochs_cpu=''
	c_bochs_smp=''

}

in_groups() {
	local g w
	[[ " $groups " == *" all "* ]] && return 0
	for g in $c_group; do
		for w in $groups; do
			[[ $g == "$w" ]] && return 0
		done
	done
	return 1
}

# Strips CR and ANSI escapes so expect/reject match the text people see.
clean_log() {
	sed -e 's/\x1b\[[0-9;?]*[ -/]*[@-~]//g' -e 's/\x1b[()][A-Za-z0-9]//g' \
		-e 's/\r//g' -e 's/\x0//g' "$1"
}

run_case() {
	[[ -n $c_name ]] || return 0
	if [[ -n $only ]]; then
		[[ " $only " == *" $c_name "* ]] || return 0
	elif ! in_groups; then
		return 0
	fi
	local accel=${c_accel:-$env_accel}
	# emulator = bochs: scripts/bochs.sh, not QEMU; no accelerator to choose.
	[[ $c_emulator == bochs ]] && accel=bochs
	if [[ $accel == kvm && -z $kvm_usable ]]; then
		echo "ok - boot/$c_name # SKIP no usable /dev/kvm"
		skipped=$((skipped + 1))
		return 0
	fi
	if [[ $accel == kvm && -n $kvm_pvm && -n ${KVM_PVM_SKIP:-} ]]; then
		echo "ok - boot/$c_name # SKIP /dev/kvm is kvm_pvm (KVM_PVM_SKIP set)"
		skipped=$((skipped + 1))
		return 0
	fi
	# qemu = 10: QEMU 10 from bookworm-backports, unpacked privately by
	# scripts/qemu10.sh (x2APIC under TCG, more than 255 vCPUs).
	local qemu=${QEMU:-qemu-system-x86_64}
	case $c_qemu in
	'') ;;
	10)
		if ! qemu=$(scripts/qemu10.sh --path 2>"$BUILD/qemu10.log"); then
			echo "not ok - boot/$c_name: scripts/qemu10.sh failed: $(tail -n1 "$BUILD/qemu10.log")"
			failed=$((failed + 1))
			return 0
		fi ;;
	*) qemu=$c_qemu ;;
	esac
	local run=$BUILD/tests/$c_name
	# extra may name files under the build folder: $BUILD/spcr/com2.bin
	c_extra=${c_extra//\$BUILD/$BUILD}
	c_iso=${c_iso//\$BUILD/$BUILD}
	rm -rf "$run"
	mkdir -p "$run"
	local start=$SECONDS rc=0
	# side = linux: Debian's kernel with linux/ (scripts/linux_run.sh)
	local runner=scripts/run.sh
	[[ $c_side == linux ]] && runner=scripts/linux_run.sh
	if [[ $c_emulator == bochs ]]; then
		if ! command -v bochs >/dev/null; then
			echo "not ok - boot/$c_name: bochs not installed (scripts/deps.sh)"
			failed=$((failed + 1))
			return 0
		fi
		# scripts/bochs.sh: SMP is packages:cores:threads, CPU a Bochs model.
		SMP=${c_bochs_smp:-1:$c_smp:1} CPU=${c_bochs_cpu:-corei7_skylake_x} MEM=$c_mem \
			ARGS=$c_args TIMEOUT=$c_timeout ISO=${c_iso:-${ISO:-iso/volley.iso}} \
			QUIET=1 OUT=$run scripts/bochs.sh >"$run.out" 2>&1 || rc=$?
	else
		QEMU=$qemu SMP=$c_smp ACCEL=$accel FIRMWARE=$c_firmware MACHINE=$c_machine \
			CPU=$c_cpu MEM=$c_mem ARGS=$c_args EXTRA=$c_extra TIMEOUT=$c_timeout \
			SCREEN=$c_screen SERIAL=$c_serial GFXPAYLOAD=$c_gfx \
			ISO=${c_iso:-${ISO:-iso/volley.iso}} QUIET=1 OUT=$run $runner >"$run.out" 2>&1 || rc=$?
	fi
	local took=$((SECONDS - start))
	local why=() re
	# Under kvm_pvm the firmware alone may take minutes (rdtsc and port I/O
	# trap into a software hypervisor). A run that did not even reach the
	# kernel within its bound says nothing about volley: skip, and say so.
	# One that reached it is judged like any other.
	if [[ $rc -eq 5 && $accel == kvm && -n $kvm_pvm ]] &&
		! grep -aq '^# volley ' "$run/serial.log" 2>/dev/null; then
		echo "ok - boot/$c_name # SKIP kvm_pvm firmware did not reach the kernel in ${c_timeout} s"
		skipped=$((skipped + 1))
		return 0
	fi
	[[ -f $run/serial.log ]] || touch "$run/serial.log"
	clean_log "$run/serial.log" >"$run/serial.clean"
	if [[ $rc -ne $c_status ]]; then
		why+=("status $rc, want $c_status$(grep -m1 '^# run: ' "$run.out" | sed 's/^# run:/:/' || true)")
	fi
	for re in "${c_expect[@]}"; do
		grep -aqE -- "$re" "$run/serial.clean" || why+=("no line matches /$re/")
	done
	for re in "${c_reject[@]}"; do
		grep -aqE -- "$re" "$run/serial.clean" && why+=("a line matches rejected /$re/")
	done
	for re in "${c_check[@]}"; do
		RUN=$run bash -c "$re" >"$run/check.log" 2>&1 ||
			why+=("check failed: $re: $(tail -n1 "$run/check.log")")
	done
	# The values of every run that printed tables (status 0 or 1), unless
	# the case opts out (vcheck = no, with its reason in boot.cfg).
	# `vcheck = fail`: the checker must find a violation (a build that is
	# meant to be wrong, such as a broken TLB flush).
	if [[ $c_vcheck != no && ($rc -eq 0 || $rc -eq 1) && -f $run/meta.csv ]]; then
		local vrc=0
		if [[ ! -x $BUILD/host/vcheck ]]; then
			why+=("vcheck: $BUILD/host/vcheck not built (make tools)")
		else
			"$BUILD/host/vcheck" "$run" >"$run/vcheck.log" 2>&1 || vrc=$?
			if [[ $c_vcheck == yes && $vrc -ne 0 ]]; then
				why+=("$(tail -n1 "$run/vcheck.log"); first: $(head -n1 "$run/vcheck.log")")
			elif [[ $c_vcheck == fail && $vrc -ne 1 ]]; then
				why+=("vcheck found no violation (exit $vrc), and this case must have some")
			fi
		fi
	fi
	if [[ ${#why[@]} -eq 0 ]]; then
		echo "ok - boot/$c_name (${took} s)"
		passed=$((passed + 1))
		return 0
	fi
	local joined=${why[0]} w
	for w in "${why[@]:1}"; do joined+="; $w"; done
	echo "not ok - boot/$c_name: $joined (${took} s)"
	echo "#   run: $run ($(sed -n 's/^accel=//p' "$run/run.env" 2>/dev/null || true)); last lines of serial.log:"
	tail -n 15 "$run/serial.clean" | sed 's/^/#   | /'
	if [[ $c_vcheck == yes && -s $run/vcheck.log ]] && ! tail -n1 "$run/vcheck.log" | grep -q '^vcheck: ok'; then
		echo "#   vcheck ($run/vcheck.log):"
		head -n 10 "$run/vcheck.log" | sed 's/^/#   ! /'
	fi
	grep '^# run: ' "$run.out" | sed 's/^/#   /' || true
	failed=$((failed + 1))
}

c_name=
lineno=0
while IFS= read -r line || [[ -n $line ]]; do
	lineno=$((lineno + 1))
	line=${line%$'\r'}
	# Only whole-line comments: values are regexes and may hold '#'.
	[[ $line =~ ^[[:space:]]*(#|$) ]] && continue
	if [[ $line =~ ^\[([A-Za-z0-9_.-]+)\][[:space:]]*$ ]]; then
		run_case
		reset_case "${BASH_REMATCH[1]}"
		continue
	fi
	if [[ -z $c_name || ! $line =~ ^[[:space:]]*([a-z_]+)[[:space:]]*=[[:space:]]?(.*)$ ]]; then
		echo "not ok - boot/cfg: $CFG:$lineno: cannot parse: $line"
		failed=$((failed + 1))
		continue
	fi
	key=${BASH_REMATCH[1]} val=${BASH_REMATCH[2]}
	val=${val%"${val##*[![:space:]]}"}	# trailing blanks
	case $key in
	smp) c_smp=$val ;;
	accel) c_accel=$val ;;
	firmware) c_firmware=$val ;;
	machine) c_machine=$val ;;
	cpu) c_cpu=$val ;;
	mem) c_mem=$val ;;
	args) c_args=$val ;;
	extra) c_extra=$val ;;
	status) c_status=$val ;;
	timeout) c_timeout=$val ;;
	group) c_group=$val ;;
	screen) c_screen=$val ;;
	serial) c_serial=$val ;;
	gfxpayload) c_gfx=$val ;;
	side) c_side=$val ;;
	iso) c_iso=$val ;;
	expect) c_expect+=("$val") ;;
	reject) c_reject+=("$val") ;;
	check) c_check+=("$val") ;;
	vcheck)
		if [[ $val == yes || $val == no || $val == fail ]]; then
			c_vcheck=$val
		else
			echo "not ok - boot/cfg: $CFG:$lineno: vcheck is yes, no or fail, not $val"
			failed=$((failed + 1))
		fi
		;;
	qemu) c_qemu=$val ;;
	emulator)
		if [[ $val == qemu || $val == bochs ]]; then
			c_emulator=$val
		else
			echo "not ok - boot/cfg: $CFG:$lineno: emulator is qemu or bochs, not $val"
			failed=$((failed + 1))
		fi
		;;
	bochs_cpu) c_bochs_cpu=$val ;;
	bochs_smp) c_bochs_smp=$val ;;
	*)
		echo "not ok - boot/cfg: $CFG:$lineno: unknown key $key"
		failed=$((failed + 1))
		;;
	esac
done <"$CFG"
run_case

summary
