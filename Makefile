# The front door: every target runs plain scripts under scripts/.
#
#   make run     build the series' kernel and boot it: the MSI table tests
#   make check   the test command: apply, per-patch builds, style, KUnit
#   make tree    build/linux: the base (scripts/base.sh) plus series/, one commit a patch
#   make export  series/ and the top-level copies from build/linux
#   make kunit   build and boot build/linux as it is (for work in the tree)
#   make kcsan   the same kernel with KCSAN in place of KASAN, every suite
#   make removal unbind, remove and hot-unplug the edu IMS device while it fires
#   make bench   what tables cost against their floors: build/bench/bench.md
#   make fresh   make check's CI on a new Debian 12 root without a git identity
#   make deps    install the Debian packages all of this needs
#   make clean   remove build/

SHELL := /bin/bash
TREE := build/linux

.PHONY: all run check tree export kunit kcsan removal bench fresh deps clean

all: run

deps:
	@scripts/deps.sh

$(TREE):
	@scripts/deps.sh
	scripts/mktree.sh $(TREE)

tree: $(TREE)

export: $(TREE)
	scripts/export.sh $(TREE)

kunit: deps $(TREE)
	scripts/kunit.sh $(TREE) build/kunit W=1

run: kunit

kcsan: deps $(TREE)
	scripts/kcsan.sh $(TREE) build/kcsan W=1

removal: deps $(TREE)
	scripts/removal.sh $(TREE) build/kunit W=1

bench: deps $(TREE)
	scripts/bench.sh $(TREE) build/bench

check: deps
	scripts/check.sh

fresh: deps
	scripts/fresh.sh build/fresh

clean:
	rm -rf build
