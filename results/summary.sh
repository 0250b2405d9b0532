#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Headline figures of one volley run, in ns (computed by build/host/vplot).
#
#   results/summary.sh DIR          write DIR/summary.txt
#   results/summary.sh --tsv DIR    print id<TAB>value_ns<TAB>label lines
#                                   (what compare.sh puts side by side)
#
# A missing table just leaves its lines out. Exit 2 when DIR or its meta.csv
# is missing.
set -euo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/plot.sh"
# shellcheck disable=SC2034  # read by vol_die in plot.sh
VOL_PROG=summary.sh

tsv=()
if [[ ${1:-} == --tsv ]]; then tsv=(--tsv); shift; fi
dir=${1:-${RUN:-}}
[[ -n $dir ]] || vol_die "usage: results/summary.sh [--tsv] RUN_DIR"
vol_vplot summary "${tsv[@]}" "$dir"
