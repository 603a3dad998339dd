# -*- Python -*-
import os

import lit.formats
from lit.llvm import llvm_config

config.name = "DC"
config.test_format = lit.formats.ShTest(not llvm_config.use_lit_shell)
config.suffixes = [".mlir", ".test"]
config.test_source_root = os.path.dirname(__file__)
config.test_exec_root = os.path.join(config.dc_obj_root, "test")
config.excludes = ["Inputs", "CMakeLists.txt", "lit.cfg.py", "lit.site.cfg.py"]

llvm_config.use_default_substitutions()
llvm_config.with_system_environment(
    ["HOME", "TMPDIR", "ASAN_OPTIONS", "UBSAN_OPTIONS"])
# `not`, `FileCheck` and friends are substituted verbatim: put LLVM's tools
# directory on PATH.
llvm_config.with_environment("PATH", config.llvm_tools_dir, append_path=True)
# Debian's interpreter (the `python3` on PATH may lack numpy).
config.substitutions.append(("%python", "/usr/bin/python3"))

runner_libs = ",".join(
    os.path.join(config.mlir_lib_dir, lib)
    for lib in ["libmlir_c_runner_utils.so", "libmlir_runner_utils.so"])
config.substitutions.append(("%mlir_runner_libs", runner_libs))
config.substitutions.append(("%dc_plugin", os.path.join(config.dc_lib_dir, "DCPlugin.so")))
config.substitutions.append(("%mlir_lib_dir", config.mlir_lib_dir))

tools = ["dc-opt", "dc-lsp-server"]
llvm_config.add_tool_substitutions(tools, [config.dc_tools_dir])
# Stock upstream tools, for the plugin and runner tests.
llvm_config.add_tool_substitutions(
    ["mlir-runner", "mlir-translate", "clang-22"], [config.llvm_tools_dir])
# `make check-sanitize`: the ASan-built plugin needs the ASan runtime
# preloaded into the (uninstrumented) stock mlir-opt.
mlir_opt = os.path.join(config.llvm_tools_dir, "mlir-opt")
preload = os.environ.get("DC_PLUGIN_PRELOAD")
if preload:
    mlir_opt = "env LD_PRELOAD=" + preload + " " + mlir_opt
config.substitutions.append((r"\bmlir-opt\b", mlir_opt))
# ASan reserves terabytes of address space for its shadow memory, so the
# tests that run dc-opt under an address-space limit cannot run under it.
if preload:
    config.available_features.add("asan")

# Host features for integration tests that need a specific vector ISA.
try:
    with open("/proc/cpuinfo") as f:
        flags = f.read()
    if " avx512f" in flags:
        config.available_features.add("avx512")
    if " avx2" in flags:
        config.available_features.add("avx2")
except OSError:
    pass
