// Times the kernels of a one-op ONNX model in onnxruntime-node with its
// profiler (bench/ops.py).
// usage: node ops_ort.js MODEL.onnx D0,D1,.. WARM PROFILE_PREFIX
// Prints one JSON line: kernel_us (median over WARM runs, after 3 untimed
// ones, of the sum of every node's `_kernel_time` in that run: the op and
// any layout nodes onnxruntime inserted, e.g. NCHWc reorders around a Conv),
// node_us (each node's own median), run_us (median of the whole session.run, which also counts the binding's
// copies of the input and output between JavaScript and the session: about
// 0.2 ms for a 330 KB tensor here), nodes (the node names of one run), out0.
'use strict';
const fs = require('fs');
const path = require('path');
const ortDir = process.env.DC_ORT_DIR;
const ort = require(ortDir ? path.join(ortDir, 'node_modules', 'onnxruntime-node')
                           : 'onnxruntime-node');

function median(v) {
  v.sort((a, b) => a - b);
  const n = v.length;
  return n % 2 ? v[(n - 1) / 2] : 0.5 * (v[n / 2 - 1] + v[n / 2]);
}

async function main() {
  const [model, shapeArg, warmArg, prefix] = process.argv.slice(2);
  const shape = shapeArg.split(',').map(Number);
  const warm = Number(warmArg);
  const options = {intraOpNumThreads: 1, interOpNumThreads: 1,
                   executionMode: 'sequential', graphOptimizationLevel: 'all',
                   enableProfiling: true, profileFilePrefix: prefix};
  const session = await ort.InferenceSession.create(model, options);
  const n = shape.reduce((a, b) => a * b, 1);
  const x = new Float32Array(n);
  for (let i = 0; i < n; ++i) x[i] = ((i * 7919) % 2001) / 1000 - 1;
  const feeds = {[session.inputNames[0]]: new ort.Tensor('float32', x, shape)};
  const runs = [];
  let out;
  for (let i = 0; i < warm + 3; ++i) {
    const t0 = process.hrtime.bigint();
    out = await session.run(feeds);
    runs.push(Number(process.hrtime.bigint() - t0) / 1e3);
  }
  session.endProfiling();
  // The profile is written next to the prefix: PREFIX_<date>.json.
  const dir = path.dirname(prefix), base = path.basename(prefix);
  const file = fs.readdirSync(dir).filter(f => f.startsWith(base) && f.endsWith('.json'))
                   .map(f => path.join(dir, f)).sort().pop();
  const events = JSON.parse(fs.readFileSync(file, 'latin1'));
  // Kernel events of the runs in order; one run has one per node.
  const kernels = events.filter(e => e.cat === 'Node' && e.name.endsWith('_kernel_time'));
  const perRun = kernels.length / (warm + 3);
  if (!Number.isInteger(perRun) || perRun < 1)
    throw new Error('unexpected profile: ' + kernels.length + ' kernel events');
  const sums = [];
  for (let r = 3; r < warm + 3; ++r) {
    let s = 0;
    for (let k = 0; k < perRun; ++k) s += kernels[r * perRun + k].dur;
    sums.push(s);
  }
  const nodes = kernels.slice(0, perRun).map(e => e.args.op_name);
  const nodeUs = [];
  for (let k = 0; k < perRun; ++k) {
    const d = [];
    for (let r = 3; r < warm + 3; ++r) d.push(kernels[r * perRun + k].dur);
    nodeUs.push(median(d));
  }
  console.log(JSON.stringify({kernel_us: median(sums), run_us: median(runs.slice(3)),
                              nodes: nodes, node_us: nodeUs,
                              out0: out[session.outputNames[0]].data[0]}));
}
main().catch(e => { console.error(String(e)); process.exit(1); });
