#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Write a synthetic but plausible volley run folder, so the plotting side can
# be developed and tested without booting anything.
#
#   tests/fake_run.sh DIR NCPUS [kvm|pvm|tcg|metal]
#
# Topology: 2 packages, cores of 2 SMT threads (CPU 2k and 2k+1 are siblings);
# from 64 CPUs up each package is its own NUMA node, so `relation` takes the
# values smt/core/package or smt/core/node. Every table in HACKING.md is
# written with its exact columns; numbers follow a simple cost model per
# accelerator with deterministic noise (same arguments, same files).
set -euo pipefail

usage() { echo "usage: $0 DIR NCPUS [kvm|pvm|tcg|metal]" >&2; exit 2; }
[[ $# -ge 2 && $# -le 3 ]] || usage
dir=$1 n=$2 accel=${3:-kvm}
[[ $n =~ ^[0-9]+$ && $n -ge 1 ]] || usage
case $accel in kvm|pvm|tcg|metal) ;; *) usage ;; esac
mkdir -p "$dir"

# run.env as the runner writes it; a bare-metal capture has none.
if [[ $accel != metal ]]; then
	case $accel in
	kvm) a=kvm kind=hw ;;
	pvm) a=kvm kind=pvm ;;
	tcg) a=tcg kind=none ;;
	esac
	cat > "$dir/run.env" <<-ENV
	accel=$a
	kvm_kind=$kind
	smp=$n
	firmware=bios
	machine=q35
	cpu='host'
	args='bench=ipi,bcast,csd,tlb,floor wait=spin,hlt'
	ENV
else
	rm -f "$dir/run.env"
fi

awk -v n="$n" -v accel="$accel" -v dir="$dir" '
function out(t, s) { print s > (dir "/" t ".csv") }
function rnd() { return rand() }            # seeded below: deterministic
function noise(x) { return x * (0.93 + 0.14 * rnd()) }
function ns2c(x) { return int(x * hz / 1e9 + 0.5) }
# One STATS block (cycles) around a p50 given in ns; tail = how heavy the
# upper tail is. ts_dominated follows DESIGN.md: rdtsc cost > 5% of p50.
function stats(p50ns, tail,    p, mn, p90, p99, mx, mean, sd, bm, tsd) {
	p = ns2c(p50ns); if (p < 1) p = 1
	mn = int(p * 0.86); p90 = int(p * (1.1 + 0.1 * tail))
	p99 = int(p * (1.3 + 0.6 * tail)); mx = int(p * (2 + 8 * tail * rnd()))
	mean = int(p * (1.05 + 0.1 * tail)); sd = int(p * 0.08 * (1 + tail))
	bm = int(p * 0.92); tsd = (rdtsc_c > 0.05 * p) ? 1 : 0
	return iters "," mn "," p "," p90 "," p99 "," mx "," mean "," sd "," bm "," tsd "," int(p * 1e9 / hz + 0.5)
}
function pkg(c) { return (n < 2) ? 0 : int(c / half) }
function rel(a, b) {
	if (a == b) return "self"
	if (int(a / 2) == int(b / 2) && pkg(a) == pkg(b)) return "smt"
	if (pkg(a) == pkg(b)) return "core"
	return (n >= 64) ? "node" : "package"
}
BEGIN {
	srand(n * 7 + length(accel))
	half = int((n + 1) / 2); iters = 2000
	# cost model: mult scales every exit-bound operation
	if (accel == "metal") { hz = 2100000000; mult = 1;  hyp = "none";         rdtsc_ns = 9 }
	if (accel == "kvm")   { hz = 2500000000; mult = 3;  hyp = "KVMKVMKVM";    rdtsc_ns = 10 }
	if (accel == "pvm")   { hz = 2500000000; mult = 18; hyp = "KVMKVMKVM";    rdtsc_ns = 12000 }
	if (accel == "tcg")   { hz = 1000000000; mult = 40; hyp = "TCGTCGTCGTCG"; rdtsc_ns = 25 }
	rdtsc_c = ns2c(rdtsc_ns)
	apic = (n > 8 || accel == "metal") ? "x2apic" : "xapic"
	S = "samples,min,p50,p90,p99,max,mean,stddev,batch_mean,ts_dominated,p50_ns"

	out("meta", "key,value")
	out("meta", "version,v0.1-fake")
	out("meta", "cpu_vendor,GenuineIntel")
	out("meta", "cpu_brand,Intel(R) Xeon(R) Gold 6248 CPU @ 2.50GHz")
	out("meta", "hypervisor," hyp)
	out("meta", "apic_mode," apic)
	out("meta", "tsc_hz," hz)
	out("meta", "tsc_source," (accel == "metal" ? "cpuid15" : "hpet"))
	out("meta", "tsc_invariant,1")
	out("meta", "firmware,bios")
	out("meta", "cmdline,\"bench=ipi,bcast,csd,tlb,floor wait=spin,hlt\"")
	out("meta", "nr_cpus," n)

	out("cpus", "cpu,apic_id,acpi_id,package,die,core,thread,node,online,start_us,tsc_offset")
	for (c = 0; c < n; c++)
		out("cpus", c "," (pkg(c) * 64 + (c % half)) "," c "," pkg(c) ",0," int((c % half) / 2) "," (c % 2) "," (n >= 64 ? pkg(c) : 0) ",1," (c ? 1000 + 37 * c : 0) ",0")

	# ipi_rtt: every ordered pair, spin and hlt; mwait only on bare metal.
	base["smt"] = 450; base["core"] = 700; base["package"] = 1400; base["node"] = 2100
	nw = split(accel == "metal" ? "spin hlt mwait" : "spin hlt", waits, " ")
	wake["spin"] = 0; wake["hlt"] = (accel == "metal") ? 1800 : 4000; wake["mwait"] = 700
	out("ipi_rtt", "src,dst,wait,relation," S ",oneway_ns")
	for (w = 1; w <= nw; w++)
		for (s = 0; s < n; s++)
			for (d = 0; d < n; d++) {
				if (s == d) continue
				r = rel(s, d)
				p = noise(base[r] * mult + wake[waits[w]] * (accel == "metal" ? 1 : mult / 3))
				if (s % 13 == 5) p *= 1.3      # a few slow senders: visible stripes
				out("ipi_rtt", s "," d "," waits[w] "," r "," stats(p, waits[w] == "spin" ? 0.3 : 1) "," int(p / 2))
			}

	# ipi_bcast: targets 1,2,4..n-1; shorthand is all-but-self only.
	out("ipi_bcast", "method,targets," S ",first_seen_ns,last_seen_ns")
	if (n >= 2) {
		nt = 0
		for (t = 1; t < n - 1; t *= 2) tl[++nt] = t
		tl[++nt] = n - 1
		for (i = 1; i <= nt; i++) {
			t = tl[i]
			split("mask logical", ms, " ")
			for (m = 1; m <= 2; m++) {
				per = (ms[m] == "mask") ? ((apic == "x2apic") ? 160 : 90) : 70
				p = noise(mult * (900 + per * t))
				out("ipi_bcast", ms[m] "," t "," stats(p, 0.4) "," int(p * 0.25) "," int(p * 0.48))
			}
			if (t == n - 1) {
				p = noise(mult * (800 + 55 * t))
				out("ipi_bcast", "shorthand," t "," stats(p, 0.4) "," int(p * 0.25) "," int(p * 0.48))
			}
		}
	}

	# csd: sync, batch sweep, many-to-one, on_each_cpu-like "each".
	out("csd", "test,queue,kick,src,dst,senders,batch," S ",per_call_ns,ipis_per_batch,calls,lost")
	if (n >= 2) {
		ipi = mult * 700; enq["lock"] = 60; enq["llist"] = 35
		for (qi = 1; qi <= 2; qi++) {
			q = (qi == 1) ? "lock" : "llist"
			p = noise(ipi * 2 + enq[q])
			out("csd", "sync," q ",empty,0,1,1,1," stats(p, 0.5) "," int(p) ",1.00," iters ",0")
			for (ki = 1; ki <= 2; ki++) {
				k = (ki == 1) ? "empty" : "always"
				for (b = 1; b <= 256; b *= 2) {
					ipb = (k == "empty") ? 1 + (b > 1 ? 0.15 * log(b) : 0) : b * 0.97
					if (ipb > b) ipb = b
					p = noise(ipi * 1.6 + b * enq[q] + ipb * ipi * 0.35)
					out("csd", "batch," q "," k ",0,1,1," b "," stats(p, 0.5) "," int(p / b) "," sprintf("%.2f", ipb) "," iters * b ",0")
				}
			}
			for (i = 1; i <= nt; i++) {
				sn = tl[i]
				p = noise(ipi * 0.5 + enq[q] * (q == "lock" ? sn * 1.8 : 1 + 0.2 * sn))
				out("csd", "many," q ",empty,NA,0," sn ",1," stats(p, 0.7) "," int(p) ",NA," iters * sn ",0")
			}
			p = noise(ipi * 2 + (n - 1) * (enq[q] + mult * 40))
			out("csd", "each," q ",empty,0,NA," (n - 1) ",1," stats(p, 0.6) "," int(p) ",NA," iters * (n - 1) ",0")
		}
	}

	# tlb: invlpg vs full flush, pages 1..512, targets 1,2,4..n-1.
	out("tlb", "strategy,pages,targets," S ",verify")
	out("tlb_ceiling", "targets,ceiling_pages")
	if (n >= 2) {
		nt = 0
		for (t = 1; t < n - 1; t *= 2) tg[++nt] = t
		tg[++nt] = n - 1
		for (i = 1; i <= nt; i++) {
			t = tg[i]; ceil = "NA"
			for (pg = 1; pg <= 512; pg *= 2) {
				# the IPI part is shared, so noise on it must not move the crossover
				shoot = noise(mult * (1500 + 120 * t))
				inv = shoot + noise(pg * (40 + 20 * mult))
				full = shoot + noise(1200 + 600 * mult)
				out("tlb", "invlpg," pg "," t "," stats(inv, 0.5) ",ok")
				out("tlb", "full," pg "," t "," stats(full, 0.5) ",ok")
				if (ceil == "NA" && full < inv) ceil = pg
			}
			out("tlb_ceiling", t "," ceil)
		}
	}

	# floor: cache-line ping-pong for every ordered pair, then single-CPU costs.
	out("floor", "test,src,dst," S)
	cl["smt"] = 60; cl["core"] = 180; cl["package"] = 420; cl["node"] = 650
	for (s = 0; s < n; s++)
		for (d = 0; d < n; d++)
			if (s != d) out("floor", "cacheline_rtt," s "," d "," stats(noise(cl[rel(s, d)] * (accel == "tcg" ? 20 : 1)), 0.2))
	out("floor", "rdtsc,0,NA," stats(rdtsc_ns, 0.1))
	out("floor", "rdtscp,0,NA," stats(rdtsc_ns * 1.3, 0.1))
	out("floor", "icr_write,0,NA," stats(mult * (apic == "x2apic" ? 60 : 110), 0.3))
	out("floor", "self_ipi,0,0," stats(mult * 400, 0.3))

	out("errors", "where,cpu,what,waited_us")
	if (accel == "tcg" && n > 2)
		out("errors", "ipi_rtt," n - 1 ",ack timeout (hlt),100000")

	out("summary", "metric,value,unit,note")
	out("summary", "cpus_online," n ",cpus,")
	out("summary", "rdtsc_cost," rdtsc_c ",cycles," (rdtsc_ns > 1000 ? "rdtsc traps" : ""))
}'
