// Times one ONNX model in onnxruntime-node (bench/models.py).
// usage: node models_ort.js MODEL.onnx IDENTITY.onnx D0,D1,.. THREADS WARM COLD
// Prints one JSON line: warm_us and cold_us (medians of session.run on one
// f32 input, the same values as bench/models_driver.c), overhead_us (the
// warm median of IDENTITY.onnx, a one-element Identity model: node's and the
// binding's per-call cost, which warm_us and cold_us have subtracted),
// maxrss_kb (the process's peak RSS after the warm calls), out0 (the first
// output element).
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

async function timeRuns(session, feeds, count, before) {
  const t = [];
  for (let i = 0; i < count; ++i) {
    if (before) before(i);
    const t0 = process.hrtime.bigint();
    await session.run(feeds);
    t.push(Number(process.hrtime.bigint() - t0) / 1e3);
  }
  return median(t);
}

async function main() {
  const [model, identity, shapeArg, threadsArg, warmArg, coldArg] = process.argv.slice(2);
  const shape = shapeArg.split(',').map(Number);
  const threads = Number(threadsArg), warm = Number(warmArg), cold = Number(coldArg);
  const options = {intraOpNumThreads: threads, interOpNumThreads: 1,
                   executionMode: 'sequential', graphOptimizationLevel: 'all'};
  const session = await ort.InferenceSession.create(model, options);
  const n = shape.reduce((a, b) => a * b, 1);
  const x = new Float32Array(n);
  for (let i = 0; i < n; ++i) x[i] = ((i * 7919) % 2001) / 1000 - 1;
  const feeds = {[session.inputNames[0]]: new ort.Tensor('float32', x, shape)};
  const idSession = await ort.InferenceSession.create(identity, options);
  const idFeeds = {[idSession.inputNames[0]]:
                   new ort.Tensor('float32', new Float32Array(1), [1])};
  for (let i = 0; i < 3; ++i) {
    await session.run(feeds);
    await idSession.run(idFeeds);
  }
  const overhead = await timeRuns(idSession, idFeeds, Math.max(warm, 101));
  const warmUs = await timeRuns(session, feeds, warm);
  // VmHWM: resourceUsage().maxRSS also counts the image before exec.
  const hwm = Number(/VmHWM:\s*(\d+)/.exec(fs.readFileSync('/proc/self/status', 'latin1'))[1]);
  // One ordinary store per cache line (fill() may use non-temporal stores).
  const flush = new Int32Array(16 << 20);
  const coldUs = await timeRuns(session, feeds, cold, i => {
    for (let j = 0; j < flush.length; j += 16) flush[j] = i + j;
  });
  const out = await session.run(feeds);
  const out0 = out[session.outputNames[0]].data[0];
  console.log(JSON.stringify({warm_us: warmUs - overhead, cold_us: coldUs - overhead,
                              overhead_us: overhead, maxrss_kb: hwm, out0: out0}));
}
main().catch(e => { console.error(String(e)); process.exit(1); });
