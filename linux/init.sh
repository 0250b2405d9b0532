#!/bin/busybox sh
# SPDX-License-Identifier: MIT
# /init of the Linux side's initramfs (scripts/linux_run.sh builds it): loads
# volley.ko (it measures while loading), prints /proc/volley, unloads it, runs
# tlbbench, checks that the kernel log holds no warning and that no volley
# kthread is left, prints "# volley: done status=N" and leaves QEMU through
# isa-debug-exit with N, as volley's image does.
#
# Arguments (the kernel command line after "--", i.e. make linux-run ARGS=):
#   quick            fewer iterations (iters=100 warmup=10, a smaller tlb sweep)
#   iters=N warmup=N timeout_ms=N   per row, as volley's
#   bench=LIST       of csd,ipi,floor,tlb (default all)
#   wait=LIST        of spin,hlt (default both)
#   cpus=LIST        the CPUs the module measures (a cpulist, default all)
#   tlb=ARGS         more tlbbench options, comma-separated (pages=1,8 ...)
# Status: 0 all done · 1 rows in errors or a failed verify · 2 bad argument ·
# 3 module failed to load or unload, kernel warning, kthread left.

/bin/busybox mkdir -p /bin /sbin /proc /sys /dev /tmp
/bin/busybox --install -s /bin
export PATH=/bin:/sbin
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev 2>/dev/null

say() { echo "# volley-linux: $*"; }

finish() {
	st=$1
	echo "# volley: done status=$st"
	# isa-debug-exit at 0xf4: QEMU exits with (st << 1) | 1.
	printf "\\$(printf '%03o' "$st")" | dd of=/dev/port bs=1 seek=244 count=1 2>/dev/null
	poweroff -f
}

iters= warmup= timeout_ms= bench=csd,ipi,floor,tlb wait=spin,hlt quick= tlbargs= cpus=
for a in "$@"; do
	case $a in
	quick) quick=1 ;;
	iters=*) iters=${a#iters=} ;;
	warmup=*) warmup=${a#warmup=} ;;
	timeout_ms=*) timeout_ms=${a#timeout_ms=} ;;
	bench=*) bench=${a#bench=} ;;
	wait=*) wait=${a#wait=} ;;
	cpus=*) cpus=${a#cpus=} ;;
	tlb=*) tlbargs=$(echo "${a#tlb=}" | tr ',' ' ') ;;
	*)
		say "unknown argument '$a': want quick, iters=N, warmup=N, timeout_ms=N, bench=csd,ipi,floor,tlb, wait=spin,hlt, cpus=LIST, tlb=OPT,OPT"
		finish 2 ;;
	esac
done
for v in "$iters" "$warmup" "$timeout_ms"; do
	case $v in ''|*[!0-9]*) [ -z "$v" ] || { say "not a number: $v"; finish 2; } ;; esac
done
if [ -n "$quick" ]; then
	: "${iters:=100}" "${warmup:=10}"
fi
: "${iters:=200}" "${warmup:=20}" "${timeout_ms:=2000}"
has() { case ",$bench," in *",$1,"*) return 0 ;; esac; return 1; }

say "kernel $(uname -r), $(grep -c ^processor /proc/cpuinfo) CPUs, args: $*"
st=0
modbench=$(echo "$bench" | tr ',' '\n' | grep -E '^(csd|ipi|floor)$' | tr '\n' ',' | sed 's/,$//')
tsc_hz=
if [ -n "$modbench" ]; then
	say "insmod volley.ko iters=$iters warmup=$warmup bench=$modbench wait=$wait"
	if insmod /volley.ko iters="$iters" warmup="$warmup" timeout_ms="$timeout_ms" \
		bench="$modbench" wait="$wait" ${cpus:+cpus="$cpus"}; then
		cat /proc/volley
		grep -q '^@end errors rows=0$' /proc/volley || st=1
		tsc_hz=$(sed -n 's/^tsc_hz,//p' /proc/volley)
		rmmod volley || { say "rmmod volley failed"; st=3; }
	else
		say "insmod volley.ko failed"
		st=3
	fi
fi
if has tlb; then
	# shellcheck disable=SC2086  # options are words
	/tlbbench ${tsc_hz:+--tsc-hz=$tsc_hz} --iters="$iters" --warmup="$warmup" \
		${quick:+--quick} $tlbargs || { [ $st -ne 0 ] || st=1; }
fi

# Clean: no warning in the kernel log, no volley kthread, the module gone.
bad=$(dmesg | grep -E 'WARNING:|BUG:|Oops|Call Trace|soft lockup|rcu_sched self-detected|rcu: INFO|hung_task' || true)
if [ -n "$bad" ]; then
	say "the kernel log has warnings:"
	echo "$bad" | sed 's/^/# kernel: /'
	st=3
fi
left=$(for c in /proc/[0-9]*/comm; do read -r n <"$c" 2>/dev/null && echo "$n"; done | grep volley || true)
if [ -n "$left" ]; then
	say "volley kthreads left after rmmod: $left"
	st=3
fi
if grep -q '^volley ' /proc/modules; then
	say "volley.ko still loaded"
	st=3
fi
[ $st -eq 3 ] || say "clean: no kernel warnings, no volley kthreads, module unloaded"
dmesg | grep -i volley | sed 's/^/# dmesg: /'
finish $st
