# Sourced by the onnxruntime-node benchmarks (models.sh, ops.sh) with
# NAME set to the calling script's name, after `BUILD="${1:-build}"`:
# makes BUILD absolute and checks that `make deps` installed
# onnxruntime-node under DC_ORT_DIR (default build/deps/ort).
case "$BUILD" in /*) ;; *) BUILD="$ROOT/$BUILD" ;; esac
export DC_ORT_DIR="${DC_ORT_DIR:-$ROOT/build/deps/ort}"
if [ ! -d "$DC_ORT_DIR/node_modules/onnxruntime-node" ]; then
  echo "$NAME: onnxruntime-node missing under $DC_ORT_DIR (run make deps)" >&2
  exit 1
fi
