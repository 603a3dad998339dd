"""Op registries: ``REGISTRY[op](cx) -> outputs`` emits IR for run-time
tensors; ``FOLDERS[op](cx, arrays) -> outputs`` evaluates an op whose inputs
are all known at import (shape computations, constant weights)."""

REGISTRY = {}
FOLDERS = {}


def op(*names):
    def deco(fn):
        for n in names:
            REGISTRY[n] = fn
        return fn
    return deco


def folder(*names):
    def deco(fn):
        for n in names:
            FOLDERS[n] = fn
        return fn
    return deco
