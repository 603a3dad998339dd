// Runs ONNX models with onnxruntime-node on .npy inputs, writing .npy outputs.
// usage: node ort_run.js JOBS.json   (JOBS: [{model, inputs: {name: npy}, out_dir}])
// Writes OUT_DIR/<i>.npy per output in graph order and OUT_DIR/outputs.json;
// a failing job writes OUT_DIR/error.txt and the others still run.
'use strict';
const fs = require('fs');
const path = require('path');
const ortDir = process.env.DC_ORT_DIR;
const ort = require(ortDir ? path.join(ortDir, 'node_modules', 'onnxruntime-node')
                           : 'onnxruntime-node');

const DTYPES = {
  '<f4': ['float32', Float32Array], '<f8': ['float64', Float64Array],
  '<f2': ['float16', Uint16Array], '<i2': ['int16', Int16Array], '<u2': ['uint16', Uint16Array],
  '<u4': ['uint32', Uint32Array], '<u8': ['uint64', BigUint64Array],
  '<i8': ['int64', BigInt64Array], '<i4': ['int32', Int32Array],
  '|b1': ['bool', Uint8Array], '|u1': ['uint8', Uint8Array], '|i1': ['int8', Int8Array],
};

function readNpy(file) {
  const buf = fs.readFileSync(file);
  const hlen = buf[6] === 1 ? buf.readUInt16LE(8) : buf.readUInt32LE(8);
  const hstart = buf[6] === 1 ? 10 : 12;
  const header = buf.toString('latin1', hstart, hstart + hlen);
  const descr = /'descr':\s*'([^']+)'/.exec(header)[1];
  const shape = /'shape':\s*\(([^)]*)\)/.exec(header)[1].split(',')
      .map(s => s.trim()).filter(s => s.length).map(Number);
  if (/'fortran_order':\s*True/.test(header)) throw new Error(file + ': fortran order');
  const [type, Arr] = DTYPES[descr] || (() => { throw new Error('dtype ' + descr); })();
  const off = hstart + hlen;
  const bytes = buf.buffer.slice(buf.byteOffset + off, buf.byteOffset + buf.length);
  let data = new Arr(bytes);
  if (type === 'bool') data = Array.from(data, v => v !== 0);
  return new ort.Tensor(type, data, shape);
}

function writeNpy(file, tensor) {
  const shape = tensor.dims;
  let descr, bytes;
  const d = tensor.data;
  switch (tensor.type) {
    case 'float32': descr = '<f4'; break;
    case 'float64': descr = '<f8'; break;
    case 'int64': descr = '<i8'; break;
    case 'int32': descr = '<i4'; break;
    case 'bool': descr = '|b1'; break;
    case 'uint8': descr = '|u1'; break;
    default: throw new Error('output type ' + tensor.type);
  }
  bytes = Buffer.from(d.buffer, d.byteOffset, d.byteLength);
  let header = "{'descr': '" + descr + "', 'fortran_order': False, 'shape': (" +
      shape.join(', ') + (shape.length === 1 ? ',' : '') + '), }';
  const total = 10 + header.length + 1;
  header += ' '.repeat((64 - (total % 64)) % 64) + '\n';
  const pre = Buffer.alloc(10);
  pre.write('\x93NUMPY', 0, 'latin1');
  pre[6] = 1; pre[7] = 0;
  pre.writeUInt16LE(header.length, 8);
  fs.writeFileSync(file, Buffer.concat([pre, Buffer.from(header, 'latin1'), bytes]));
}

async function main() {
  const jobs = JSON.parse(fs.readFileSync(process.argv[2], 'utf8'));
  const opts = {intraOpNumThreads: 1, interOpNumThreads: 1,
                graphOptimizationLevel: 'disabled'};
  for (const job of jobs) {
    fs.mkdirSync(job.out_dir, {recursive: true});
    try {
      const session = await ort.InferenceSession.create(job.model, opts);
      const feeds = {};
      for (const [name, file] of Object.entries(job.inputs)) feeds[name] = readNpy(file);
      const out = await session.run(feeds);
      session.outputNames.forEach((n, i) => writeNpy(path.join(job.out_dir, i + '.npy'), out[n]));
      fs.writeFileSync(path.join(job.out_dir, 'outputs.json'),
                       JSON.stringify(session.outputNames));
    } catch (e) {
      fs.writeFileSync(path.join(job.out_dir, 'error.txt'), String(e && e.message || e));
    }
  }
}
main().catch(e => { console.error(String(e)); process.exit(1); });
