# SPDX-License-Identifier: MIT
# The Linux side (linux/): the module and tlbbench, included by GNUmakefile.
#
#   make linux-module   the module for the running kernel
#                       (KDIR=/lib/modules/$(uname -r)/build)
#   make linux-run      Debian's kernel under QEMU with the module, tlbbench
#                       and busybox in an initramfs; a run folder like make run's
#
# The module is built in $(BUILD)/linux/mod-<kernel>/: a copy of linux/ with
# volley's pure core files (stats, fmt, str, csv) beside it, because Kbuild
# builds objects next to their sources.

LINUX_KVER ?= $(shell uname -r)
KDIR       ?= /lib/modules/$(LINUX_KVER)/build
LINUX_CORE := core/stats.c core/stats.h core/fmt.c core/fmt.h core/str.c \
	core/str.h core/csv.c core/csv.h core/tsc_read.h
LINUX_SRC  := $(wildcard linux/*.c linux/*.h linux/compat/*.h) linux/Kbuild
LINUX_MOD_DIR = $(BUILD)/linux/mod-$(notdir $(patsubst %/build,%,$(KDIR)))
TLBBENCH   := $(BUILD)/linux/tlbbench

# $(call linux_module,KDIR,OUTDIR)
define linux_module
	@mkdir -p $(2)/core $(2)/compat
	@cp -u linux/Kbuild linux/volley_lkm.c linux/lrow.c linux/lrow.h linux/int128.c $(2)/
	@cp -u linux/compat/*.h $(2)/compat/
	@cp -u $(LINUX_CORE) $(2)/core/
	$(MAKE) --no-print-directory -C $(1) M=$(abspath $(2)) VOLLEY_VERSION=$(VERSION) modules
endef

.PHONY: linux-module
linux-module:
	@test -d $(KDIR) || { echo "linux-module: $(KDIR) not found: install the headers of your running kernel (Debian: apt-get install linux-headers-$(LINUX_KVER))"; exit 2; }
	$(call linux_module,$(KDIR),$(LINUX_MOD_DIR))
	@echo "$(LINUX_MOD_DIR)/volley.ko"

# Static, so the initramfs needs no libc; the same pure files as the module.
$(TLBBENCH): linux/tlbbench.c linux/lrow.c linux/lrow.h core/stats.c core/fmt.c \
		core/str.c core/csv.c core/tsc_read.h
	@mkdir -p $(dir $@)
	$(HOSTCC) -std=gnu11 -O2 -Wall -Wextra -Werror -I. -static -pthread \
		-DVOLLEY_VERSION='"$(VERSION)"' -o $@ linux/tlbbench.c linux/lrow.c \
		core/stats.c core/fmt.c core/str.c core/csv.c

.PHONY: linux-tlbbench
linux-tlbbench: $(TLBBENCH)

.PHONY: linux-run
linux-run:
	@scripts/deps.sh --quiet
	@$(MAKE) --no-print-directory tools $(TLBBENCH)
	@$(RUNENV) VERSION='$(VERSION)' TLBBENCH='$(TLBBENCH)' scripts/linux_run.sh
