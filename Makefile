# The two commands of README.md. Both install what they need and build.
BUILD ?= build
PY := /usr/bin/python3
JOBS ?= $(shell nproc)

.PHONY: demo check check-models deps configure build install check-lit check-unit check-python \
	bench clean check-sanitize fuzz fuzz-long

deps:
	./scripts/install-deps.sh

configure: deps
	@if [ ! -f $(BUILD)/build.ninja ]; then cmake -G Ninja -S . -B $(BUILD); fi

build: configure
	ninja -C $(BUILD) -j $(JOBS)

# Installs dc (tools, plugin, libraries, headers, CMake package) into PREFIX.
PREFIX ?= /usr/local
install: build
	cmake --install $(BUILD) --prefix $(PREFIX)

# Main job: compress LeNet-300-100 trained on real MNIST digits, compile it
# with dc-opt and evaluate the compiled model.
demo: build
	./scripts/demo.sh $(BUILD)

check: build
	ninja -C $(BUILD) check-dc
	cd $(BUILD) && ctest --output-on-failure
	DC_BUILD_DIR=$(abspath $(BUILD)) $(PY) -m pytest -q python/tests
	$(PY) scripts/check-diagnostics.py
	JOBS=$(JOBS) ./scripts/check-sanitize.sh
	JOBS=$(JOBS) ./scripts/fuzz.sh smoke

# ASan+UBSan build of the C++ tree in build-asan/, lit and gtest under it
# (also the last steps of `check`, with the fuzz smoke).
check-sanitize: deps
	JOBS=$(JOBS) ./scripts/check-sanitize.sh

# libFuzzer targets in build-fuzz/: a deterministic smoke (fixed runs and
# seed) and the long campaign (a row per target in docs/Robustness.md).
fuzz: deps
	JOBS=$(JOBS) ./scripts/fuzz.sh smoke

fuzz-long: deps
	JOBS=$(JOBS) ./scripts/fuzz.sh long $(FUZZ_SECONDS)

# Every model of the ONNX import (torchvision, transformer), dense and
# compressed, against onnxruntime (docs/ONNX.md).
check-models: build
	DC_BUILD_DIR=$(abspath $(BUILD)) DC_CHECK_MODELS=all $(PY) -m pytest -q python/tests/test_onnx_models.py

bench: build
	./bench/run-all.sh $(BUILD)

clean:
	rm -rf $(BUILD) build-asan build-fuzz
