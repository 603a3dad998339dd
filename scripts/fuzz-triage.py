#!/usr/bin/python3
"""Classifies the artifacts a fuzz target left in build-fuzz/crashes/TARGET/.

Usage: fuzz-triage.py BUILD_FUZZ TARGET

Replays every artifact (crash-*, timeout-*, oom-*, leak-*) once, reads the
sanitizer's or libFuzzer's stack trace and names the frame where the failure
happened: the first frame after the sanitizer runtime, libFuzzer's handlers,
libc's abort path and LLVM's fatal-error reporting. A failure whose frame lies
in Debian's libMLIR/libLLVM is *upstream* (dc only handed the input over: the
upstream reader, parser or verifier failed); anywhere else (dc's code is
linked statically into the fuzz binary) it is a *dc* finding. Artifacts are
grouped by signature (the failing frame and its two callers); one line per
group: class, kind, count, signature, one artifact. Exit status 1 if any
group is a dc finding, else 0. docs/Robustness.md explains the use.
"""
import collections
import os
import re
import subprocess
import sys

FRAME = re.compile(r"^\s+#(\d+) 0x[0-9a-f]+(?: in (.*?))?\s+\((.*?)\+(0x[0-9a-f]+)\)")
# Frames of the machinery that reports a failure, not of the code that failed.
RUNTIME = re.compile(
    r"__sanitizer|__asan|__ubsan|fuzzer::|__interceptor|pthread_kill|raise|"
    r"abort|report_fatal_error|reportFatal|llvm::report_bad_alloc|"
    r"llvm_unreachable|__cxa_|__gnu_cxx|std::__throw|^malloc$|^calloc$|^realloc$|"
    r"operator new")
RUNTIME_MODULE = re.compile(r"libc\.so|libstdc\+\+|libclang_rt")


def frames(log):
    for line in log.splitlines():
        m = FRAME.match(line)
        if m:
            yield m.group(2) or "", m.group(3), m.group(4)


def failing_frames(log):
    out, started = [], False
    for func, module, offset in frames(log):
        if not started and (RUNTIME.search(func) or RUNTIME_MODULE.search(module)):
            continue
        # LLVM's own support code that only reports the failure (e.g.
        # SmallVector's grow calling report_fatal_error) belongs to the caller.
        if not started and "libLLVM" in module and not func:
            continue
        started = True
        out.append((func, module, offset))
        if len(out) == 3:
            break
    return out


def classify(binary, artifact):
    env = dict(os.environ)
    env["ASAN_OPTIONS"] = "allow_user_poisoning=0:detect_leaks=0"
    env["UBSAN_OPTIONS"] = "print_stacktrace=1:halt_on_error=1"
    kind = os.path.basename(artifact).split("-")[0]
    try:
        run = subprocess.run([binary, "-timeout=20", "-rss_limit_mb=3072", artifact],
                             capture_output=True, text=True, errors="replace",
                             env=env, timeout=120)
        log = run.stdout + run.stderr
    except subprocess.TimeoutExpired:
        return kind, "unknown", "replay did not finish in 120 s"
    top = failing_frames(log)
    if kind == "timeout":
        # Where the alarm interrupts a slow input is arbitrary: name it by the
        # innermost frames that have symbols.
        top = [f for f in frames(log) if f[0] and not RUNTIME.search(f[0])][:3] or top
    if not top:
        if run.returncode == 0:
            return kind, "flaky", "does not reproduce"
        return kind, "unknown", "no stack trace"
    module = os.path.basename(top[0][1])
    where = "upstream" if re.search(r"libMLIR|libLLVM", module) else "dc"
    sig = " <- ".join((f or os.path.basename(m) + "+" + o)[:80] for f, m, o in top)
    return kind, where, sig


def main():
    build, target = sys.argv[1], sys.argv[2]
    crashes = os.path.join(build, "crashes", target)
    binary = os.path.join(build, "bin", target)
    groups = collections.OrderedDict()
    names = sorted(os.listdir(crashes)) if os.path.isdir(crashes) else []
    for name in names:
        if not re.match(r"(crash|timeout|oom|leak|slow-unit)-", name):
            continue
        kind, where, sig = classify(binary, os.path.join(crashes, name))
        key = (where, kind, sig)
        groups.setdefault(key, []).append(name)
    dc_findings = 0
    for (where, kind, sig), members in groups.items():
        dc_findings += where in ("dc", "unknown")
        print("%s\t%s\t%d\t%s\t%s" % (where, kind, len(members), sig, members[0]))
    return 1 if dc_findings else 0


if __name__ == "__main__":
    sys.exit(main())
