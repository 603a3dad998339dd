# The two commands of README.md. Both install what they need and build.
BUILD ?= build
PY := /usr/bin/python3
JOBS ?= $(shell nproc)

.PHONY: demo check deps configure build install check-lit check-unit check-python bench clean

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

bench: build
	./bench/run-all.sh $(BUILD)

clean:
	rm -rf $(BUILD)
