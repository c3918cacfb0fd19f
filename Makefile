# The README's two commands. Each does all the set-up on a fresh Debian 12 machine:
# installs the missing Debian packages, configures, builds, then runs or tests.
BUILD_DIR ?= build
JOBS      ?= $(shell nproc)
ABLATE    := $(BUILD_DIR)/ablate
PROFILE   ?= quick

# Everything the build, the tests and `make run` need, as Debian package names. Slurm and munge: the
# `ablate slurm` tests start a private single-node cluster (tests/slurm/with_cluster.sh). libgloo-dev: the
# headers c10d's ProcessGroupGloo includes (data-parallel training on CPU; LibTorch links Gloo itself).
PACKAGES := build-essential cmake ninja-build pkg-config git \
  libtorch-dev libgloo-dev libopenblas0-pthread libyaml-cpp-dev libfmt-dev libsqlite3-dev sqlite3 \
  libgtest-dev libgmock-dev libcli11-dev nlohmann-json3-dev zlib1g-dev libturbojpeg0-dev libpng-dev \
  libgnuplot-iostream-dev libboost-iostreams-dev libboost-filesystem-dev gnuplot-nox \
  dataset-fashion-mnist \
  slurmctld slurmd slurm-client munge

.PHONY: all deps bench-deps configure build run test bench bench-eager clean

all: build

# Only for `make bench` and `make bench-eager`: torchvision's ImageFolder + DataLoader, the baseline of
# bench/imagefolder_bench, torchvision's ResNeXt-50 for bench/torchvision_weights_check.py, and PyTorch eager
# (Debian's, the same LibTorch 1.13), the twin of bench/vs_eager.py.
BENCH_PACKAGES := python3-torchvision python3-pil python3-torch

# $(call install_missing,PACKAGES): installs only what is missing; `apt-get update` first; as root
# directly, otherwise through sudo.
define install_missing
	@missing=$$(for p in $(1); do \
	    dpkg-query -W -f='$${Status}\n' $$p 2>/dev/null | grep -q '^install ok installed$$' || echo $$p; \
	  done); \
	if [ -n "$$missing" ]; then \
	  echo "Installing missing packages:" $$missing; \
	  if [ "$$(id -u)" -eq 0 ]; then SUDO=; else SUDO=sudo; fi; \
	  $$SUDO apt-get update && \
	  DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y --no-install-recommends $$missing; \
	fi
endef

deps:
	$(call install_missing,$(PACKAGES))

bench-deps:
	$(call install_missing,$(BENCH_PACKAGES))

$(BUILD_DIR)/build.ninja: CMakeLists.txt | deps
	cmake -S . -B $(BUILD_DIR) -G Ninja -DCMAKE_BUILD_TYPE=Release

configure: deps $(BUILD_DIR)/build.ninja

build: configure
	cmake --build $(BUILD_DIR) -j $(JOBS)

run: build
	$(ABLATE) run cardinality --profile $(PROFILE)
	$(ABLATE) report cardinality --profile $(PROFILE)
	$(ABLATE) table cardinality --profile $(PROFILE)

test: build
	ctest --test-dir $(BUILD_DIR) --output-on-failure -j $(JOBS)

bench: build bench-deps
	@for b in $(BUILD_DIR)/bench/*_bench; do echo "== $$b"; $$b; done
	@echo "== bench/torchvision_weights_check.py"; \
	  /usr/bin/python3 bench/torchvision_weights_check.py --ablate $(ABLATE) --bench $(BUILD_DIR)/bench

# The project's training step and evaluation against a PyTorch eager twin of each network, side by side.
bench-eager: build bench-deps
	/usr/bin/python3 bench/vs_eager.py --build $(BUILD_DIR)

clean:
	rm -rf $(BUILD_DIR)
