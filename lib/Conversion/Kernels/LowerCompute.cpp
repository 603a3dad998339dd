//===- LowerCompute.cpp - dc.matvec / dc.matmul -> generated kernels ------===//
//
// Each dc.matvec / dc.matmul on a compressed constant becomes a call of a
// generated kernel on an execution layout of the constant, decoded and
// re-laid out at compile time for this CPU. The pass only chooses, builds
// and emits; the layouts live behind KernelLayout (KernelLayout.h):
//
//   choose  the op's `dc.layout` attribute (written by dc-choose-layout, or
//           by the user), else the `layout` option, else the cost model
//           (LayoutPlanner.h);
//   build   the layout, once per constant and transposition (shared by the
//           call sites and functions that use the same payload);
//   emit    its globals once, and one kernel per (layout, batch, groups):
//           `PREFIX[_dense|_tiles]_matvec` / `_matmulN` (x, y), calling the
//           layout's decode-once initializer first where it has one.
//
// THREADS (threads > 1, kernels with at least parallel-min-words words x
//   column vectors): the body becomes `NAME_part(x, y, g0, g1)` over groups
//   [g0, g1), and the kernel an scf.parallel over 1000 x threads sub-chunks
//   of about equal words (boundaries computed here into a `chunks` global),
//   each calling the part. dc-to-llvm lowers it to OpenMP (static schedule:
//   `threads` contiguous blocks) or to MLIR's async runtime
//   (async-parallel-for, min-task-size 1000: also `threads` blocks); lowered
//   without either it runs serially. Each group writes only its own rows of
//   y, so the chunks are independent. The dense-code kernels
//   (DenseCodeKernel.h) are split the same way over their row groups, the
//   tile kernels (TileKernel.h) over their strips (cost: tiles).
//
// The call site on memrefs (after one-shot-bufferize, as in dc-to-llvm)
// passes the input buffer (copied only if its layout does not fit the
// kernel) and the `outs` buffer, written in place. On tensors it passes
// bufferization.to_buffer of the activations (read-only) and a fresh
// memref.alloc for the result, wrapped back with bufferization.to_tensor
// {restrict, writable}.
//
//===----------------------------------------------------------------------===//

#include "KernelEpilogue.h"
#include "LayoutPlanner.h"

#include "dc/Conversion/DecodeEmitter.h"
#include "dc/Conversion/KernelPasses.h"
#include "dc/Conversion/Passes.h"
#include "dc/Dialect/DC/DCUtils.h"
#include "dc/Dialect/DC/Epilogue.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Bufferization/IR/Bufferization.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/LLVMIR/LLVMAttrs.h"
#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"
#include "mlir/IR/BuiltinOps.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/MathExtras.h"
#include "llvm/Support/raw_ostream.h"

#include <algorithm>
#include <cmath>

namespace dc {
#define GEN_PASS_DEF_DCLOWERCOMPUTE
#include "dc/Conversion/KernelPasses.h.inc"
} // namespace dc

using namespace mlir;
using namespace dc::kernels;

namespace {

struct LowerComputePass : dc::impl::DCLowerComputeBase<LowerComputePass> {
  using Base::Base;

  /// The first invalid option value, as a message, or empty.
  std::string validateOptions() {
    std::string msg;
    llvm::raw_string_ostream os(msg);
    if (std::isnan(double(denseDensity)))
      os << "dc-lower-compute: option 'dense-density' must be a number "
            "(negative: cost model; [0, 1]: density threshold; above 1: "
            "never)";
    else if (rowsPerGroup < 1 || rowsPerGroup > 8)
      os << "dc-lower-compute: option 'rows-per-group' must be in 1..8, got "
         << rowsPerGroup;
    else if (std::optional<LayoutKind> kind;
             !parseLayoutOption(layout, kind))
      os << "dc-lower-compute: option 'layout' must be auto, sparse, "
            "dense-code or tiles, got '"
         << layout << "'";
    else if (!(double(maxRuntimeRatio) > 0.0) ||
             std::isinf(double(maxRuntimeRatio)))
      os << "dc-lower-compute: option 'max-runtime-ratio' must be a positive "
            "number, got "
         << maxRuntimeRatio;
    else if (tileVariant != "auto" && tileVariant != "s3" &&
             tileVariant != "expand")
      os << "dc-lower-compute: option 'tile-variant' must be auto, s3 or "
            "expand, got '"
         << tileVariant << "'";
    else if (vectorWidth != 0 &&
             (vectorWidth > 64 || !llvm::isPowerOf2_32(vectorWidth)))
      os << "dc-lower-compute: option 'vector-width' must be 0 (from the "
            "target) or a power of two up to 64, got "
         << vectorWidth;
    return msg;
  }

  /// Rejects bad option values as soon as they are parsed (options set
  /// programmatically, e.g. by dc-to-llvm, are checked when the pass runs).
  LogicalResult initializeOptions(
      StringRef options,
      function_ref<LogicalResult(const Twine &)> errorHandler) override {
    if (failed(Base::initializeOptions(options, errorHandler)))
      return failure();
    std::string msg = validateOptions();
    return msg.empty() ? success() : errorHandler(msg);
  }

  ModuleOp module;
  Target target;
  std::shared_ptr<LayoutPlanner> planner;
  /// Layouts whose globals are emitted (and whose stats line is printed).
  llvm::SmallPtrSet<KernelLayout *, 8> layoutsEmitted;
  /// Kernels by (constant entry, layout, batch, groups, the op whose
  /// epilogue they apply: null for none; such kernels are not shared).
  std::map<std::tuple<LayoutPlanner::Entry *, LayoutKind, int64_t, int64_t,
                      Operation *>,
           func::FuncOp>
      kernels;
  unsigned epilogueKernels = 0;
  /// Kernel bodies and decoders shared between layers (KernelSupport.h).
  SharedFunctions shared;

  /// What a kernel body applying `op`'s epilogue depends on: `op` printed
  /// in generic form without its operands' names (its region numbers its
  /// own block arguments), so two ops with equal epilogues and types give
  /// equal strings.
  static std::string epilogueKey(Operation *op) {
    std::string s;
    llvm::raw_string_ostream os(s);
    op->print(os, OpPrintingFlags()
                      .printGenericOpForm()
                      .useLocalScope()
                      .assumeVerified());
    return s;
  }

  void setTargetAttrs(func::FuncOp f) {
    MLIRContext *ctx = f.getContext();
    f->setAttr("target_cpu", StringAttr::get(ctx, target.cpu));
    if (!target.features.empty()) {
      SmallVector<StringRef> feats(target.features.begin(),
                                   target.features.end());
      f->setAttr("target_features", LLVM::TargetFeaturesAttr::get(ctx, feats));
    }
  }

  /// A call of the layout's decode-once initializer (if any) at the start
  /// of `fn`: before any parallel loop, never inside a task.
  static void emitInitCall(const KernelLayout &layout, func::FuncOp fn) {
    func::FuncOp init = layout.initializer();
    if (!init)
      return;
    OpBuilder b(fn.getContext());
    b.setInsertionPointToStart(&fn.getBody().front());
    func::CallOp::create(b, fn.getLoc(), init, ValueRange{});
  }

  /// A new `memref<n x rows>` holding the transpose of x (rows x n).
  static Value emitTransposedCopy(OpBuilder &b, Location loc, Value x,
                                  int64_t rows, int64_t n) {
    auto type = MemRefType::get({n, rows}, b.getF32Type());
    Value xt = memref::AllocOp::create(b, loc, type, ValueRange{},
                                       b.getI64IntegerAttr(64));
    Value c0 = arith::ConstantIndexOp::create(b, loc, 0);
    Value c1 = arith::ConstantIndexOp::create(b, loc, 1);
    Value cr = arith::ConstantIndexOp::create(b, loc, rows);
    Value cn = arith::ConstantIndexOp::create(b, loc, n);
    scf::ForOp::create(
        b, loc, c0, cr, c1, ValueRange{},
        [&](OpBuilder &rb, Location l, Value i, ValueRange) {
          scf::ForOp::create(
              rb, l, c0, cn, c1, ValueRange{},
              [&](OpBuilder &cb, Location l2, Value j, ValueRange) {
                Value v = memref::LoadOp::create(cb, l2, x, ValueRange{i, j});
                memref::StoreOp::create(cb, l2, v, xt, ValueRange{j, i});
                scf::YieldOp::create(cb, l2);
              });
          scf::YieldOp::create(rb, l);
        });
    return xt;
  }

  /// The kernel of `entry`'s layout `kind` for batch `n` (0: matvec),
  /// applying `op`'s epilogue (if it has one) before every store.
  func::FuncOp getKernel(LayoutPlanner::Entry *entry, LayoutKind kind,
                         int64_t n, int64_t groups, Operation *op) {
    KernelEpilogue epilogue;
    if (!op->getRegion(0).empty()) {
      epilogue.region = &op->getRegion(0);
      for (Value v : dc::getEpilogueOperands(op))
        epilogue.perRow.push_back(dc::isPerRowEpilogueOperand(op, v));
    }
    func::FuncOp &slot =
        kernels[{entry, kind, n, groups, epilogue.empty() ? nullptr : op}];
    if (slot)
      return slot;
    KernelLayout &layout = *planner->getLayout(*entry, kind);
    std::string err;
    bool first = !layoutsEmitted.count(&layout);
    if (failed(layout.emitGlobals(module, entry->constant.getLoc(),
                                  entry->prefix, shared, err))) {
      entry->constant->emitError() << "dc-lower-compute: " << err;
      return nullptr;
    }
    if (first) {
      layoutsEmitted.insert(&layout);
      if (stats) {
        llvm::errs() << "dc-lower-compute: " << entry->prefix
                     << " layout=" << layoutKindName(kind);
        layout.printStats(llvm::errs());
        llvm::errs() << "\n";
      }
    }
    const LayoutSource &L = entry->src;
    MLIRContext *ctx = module.getContext();
    OpBuilder b(ctx);
    b.setInsertionPointToEnd(module.getBody());
    Location loc = module.getLoc();
    Type f32 = b.getF32Type();
    int64_t dyn = ShapedType::kDynamic;
    Type xType, yType;
    // groups = G: x holds one K slice per group.
    int64_t xRows = L.k * groups;
    if (n == 0) {
      xType =
          MemRefType::get({xRows}, f32, StridedLayoutAttr::get(ctx, dyn, {1}));
      yType = MemRefType::get({L.m}, f32);
    } else {
      xType = MemRefType::get({xRows, n}, f32,
                              StridedLayoutAttr::get(ctx, dyn, {dyn, 1}));
      yType = MemRefType::get({L.m, n}, f32);
    }
    StringRef kindSuffix = kind == LayoutKind::DenseCode ? "_dense"
                           : kind == LayoutKind::Tiles   ? "_tiles"
                                                         : "";
    std::string opName = (n == 0 ? "matvec" : "matmul" + std::to_string(n)) +
                         (groups > 1 ? "_g" + std::to_string(groups) : "");
    std::string name =
        entry->prefix + kindSuffix.str() + "_" + opName +
        (epilogue.empty() ? "" : "_epi" + std::to_string(epilogueKernels++));
    // The epilogue's operands follow x and y.
    SmallVector<Type> epilogueTypes = epilogue.argTypes(
        ctx, cast<MemRefType>(yType).getShape());
    unsigned numEpilogue = epilogueTypes.size();
    SmallVector<Type> kernelTypes{xType, yType};
    kernelTypes.append(epilogueTypes);
    auto makeFunc = [&](StringRef fname, ArrayRef<Type> argTypes) {
      OpBuilder::InsertionGuard guard(b);
      auto f =
          func::FuncOp::create(b, loc, fname, b.getFunctionType(argTypes, {}));
      f.setPrivate();
      setTargetAttrs(f);
      // The kernels are already laid out for the CPU: LLVM's SLP vectorizer
      // would otherwise turn the independent per-row / per-accumulator
      // chains of the batch-1 kernel into 4-8 lane gathers, about 2x slower
      // here (gathers cost ~1.1 cycles per element vs ~0.8 for scalar
      // loads). `noimplicitfloat` makes the SLP and loop vectorizers skip
      // the function while explicit vector ops (batch N) are still compiled
      // as written.
      f->setAttr("passthrough",
                 b.getArrayAttr({b.getStringAttr("noimplicitfloat")}));
      f.addEntryBlock();
      return f;
    };
    // SHARED BODIES: when the layout has a kernel key, the body is a
    // function of (x, y, epilogue operands, the layout's data[, g0, g1]),
    // emitted once per key (+ epilogue, + serial or part) and called by
    // this layer's kernel with its globals.
    KernelCall call{target, n, groups, colBlock};
    std::string key = layout.kernelKey(call);
    SmallVector<Type> dataTypes;
    if (!key.empty()) {
      dataTypes = layout.dataTypes(ctx);
      if (!epilogue.empty())
        key += " epilogue " + epilogueKey(op);
    }
    unsigned numData = dataTypes.size();
    // Emits the kernel body for `range` into `f` (x, y: its first two
    // arguments; the data, if shared, after the epilogue operands).
    auto emitBody = [&](func::FuncOp f, const GroupRange &range) {
      OpBuilder::InsertionGuard guard(b);
      Block *body = &f.getBody().front();
      b.setInsertionPointToStart(body);
      KernelBuilder bd{b, loc};
      bd.shared = &shared;
      Value x = body->getArgument(0), y = body->getArgument(1);
      KernelEpilogue bodyEpilogue = epilogue;
      if (!epilogue.empty()) {
        for (unsigned i = 0; i < numEpilogue; ++i)
          bodyEpilogue.args.push_back(body->getArgument(2 + i));
        bd.epilogue = &bodyEpilogue;
      }
      ValueRange data = body->getArguments().slice(2 + numEpilogue, numData);
      layout.emitBody(bd, call, range, x, y, data);
      func::ReturnOp::create(b, loc);
    };

    // A layout that reads x transposed (N x K rows, one per batch column)
    // gets it from the kernel entry, before any parallel loop: its bodies
    // take the transposed copy, a temporary of the call (dc-static-buffers
    // keeps it off the heap).
    bool transposed = n > 0 && layout.readsTransposedX(n);
    Type bodyXType = transposed ? MemRefType::get({n, xRows}, f32) : xType;
    auto entryX = [&](OpBuilder &eb, Value x) -> Value {
      return transposed ? emitTransposedCopy(eb, loc, x, xRows, n) : x;
    };
    SmallVector<Type> bodyTypes = kernelTypes;
    bodyTypes[0] = bodyXType;
    bodyTypes.append(dataTypes);
    // The shared body of `key` + `variant` (types `types`), emitted on
    // first use by `emit`.
    auto sharedBody = [&](StringRef variant, StringRef suffix,
                          ArrayRef<Type> types,
                          function_ref<void(func::FuncOp)> emit) {
      std::string fullKey = key + variant.str();
      func::FuncOp fn = shared.byKey.lookup(fullKey);
      if (!fn) {
        StringRef kindName = kindSuffix.empty() ? "_sparse" : kindSuffix;
        fn = makeFunc(shared.newName(kindName.drop_front().str() + "_" +
                                     opName + (epilogue.empty() ? "" : "_epi") +
                                     suffix.str()),
                      types);
        emit(fn);
        shared.byKey[fullKey] = fn;
      }
      return fn;
    };

    std::vector<int32_t> chunks = chunkBounds(layout.groupCosts(n, target), n);
    if (chunks.empty()) {
      // One thread: the whole layout, static loop bounds.
      func::FuncOp fn = makeFunc(name, kernelTypes);
      if (!transposed && key.empty()) {
        emitBody(fn, GroupRange{});
      } else {
        func::FuncOp inner =
            key.empty() ? makeFunc(name + "_xt", bodyTypes)
                        : sharedBody(" serial", transposed ? "_xt" : "",
                                     bodyTypes, [&](func::FuncOp f) {
                                       emitBody(f, GroupRange{});
                                     });
        if (key.empty())
          emitBody(inner, GroupRange{});
        OpBuilder::InsertionGuard guard(b);
        Block *body = &fn.getBody().front();
        b.setInsertionPointToStart(body);
        SmallVector<Value> args(body->getArguments());
        args[0] = entryX(b, args[0]);
        args.append(layout.getData(b, loc));
        func::CallOp::create(b, loc, inner, args);
        func::ReturnOp::create(b, loc);
      }
      emitInitCall(layout, fn);
      slot = fn;
      return fn;
    }
    // Several threads: `NAME_part(x, y, g0, g1)` computes the groups
    // [g0, g1); the kernel is an scf.parallel over the sub-chunks of the
    // `chunks` global (group boundaries, computed here), which dc-to-llvm
    // lowers to OpenMP or MLIR's async runtime (thread-runtime). Lowered
    // without either, the loop simply runs serially.
    Type indexType = b.getIndexType();
    SmallVector<Type> partTypes = bodyTypes;
    partTypes.append({indexType, indexType});
    auto emitPart = [&](func::FuncOp part) {
      Block *pb = &part.getBody().front();
      unsigned g0 = 2 + numEpilogue + numData;
      emitBody(part, GroupRange{pb->getArgument(g0), pb->getArgument(g0 + 1),
                                /*isStatic=*/false});
    };
    func::FuncOp part;
    if (key.empty()) {
      part = makeFunc(name + "_part", partTypes);
      emitPart(part);
    } else {
      part = sharedBody(" part", "_part", partTypes, emitPart);
    }
    std::string chunksName = name + "_chunks";
    addConstantGlobal(module, loc, chunksName, b.getI32Type(),
                      rawBytes(chunks), chunks.size());
    int64_t numChunks = int64_t(chunks.size()) - 1;
    func::FuncOp fn = makeFunc(name, kernelTypes);
    {
      OpBuilder::InsertionGuard guard(b);
      Block *body = &fn.getBody().front();
      b.setInsertionPointToStart(body);
      SmallVector<Value> kernelArgs(body->getArguments());
      kernelArgs[0] = entryX(b, kernelArgs[0]);
      kernelArgs.append(layout.getData(b, loc));
      Value table = memref::GetGlobalOp::create(
          b, loc, MemRefType::get({numChunks + 1}, b.getI32Type()), chunksName);
      Value c0 = arith::ConstantIndexOp::create(b, loc, 0);
      Value c1 = arith::ConstantIndexOp::create(b, loc, 1);
      Value cn = arith::ConstantIndexOp::create(b, loc, numChunks);
      scf::ParallelOp::create(
          b, loc, ValueRange{c0}, ValueRange{cn}, ValueRange{c1},
          [&](OpBuilder &nb, Location l, ValueRange ivs) {
            Value i = ivs[0];
            Value i1 = arith::AddIOp::create(nb, l, i, c1);
            auto load = [&](Value at) {
              Value v = memref::LoadOp::create(nb, l, table, at);
              return arith::IndexCastUIOp::create(nb, l, nb.getIndexType(), v)
                  .getResult();
            };
            SmallVector<Value> partArgs = kernelArgs;
            partArgs.append({load(i), load(i1)});
            func::CallOp::create(nb, l, part, partArgs);
            scf::ReduceOp::create(nb, l);
          });
      func::ReturnOp::create(b, loc);
    }
    // Decode once before the parallel loop, never inside a task.
    emitInitCall(layout, fn);
    slot = fn;
    return fn;
  }

  /// Sub-chunk boundaries (group indices, nondecreasing, from 0 to the
  /// number of groups) for `threads` > 1, or empty for one thread (threads
  /// <= 1, or a kernel too small to be worth the tasks: cost x column
  /// vectors below parallel-min-words). `cum` holds the cumulative cost of
  /// the groups (size groups + 1). There are kSubChunks per thread, each
  /// with about the same cost (the sparse layout is sorted by entry count,
  /// so equal group counts would not balance). Why so many: with
  /// dc-to-llvm's default OpenMP lowering (static schedule) the 1000 x T
  /// sub-chunks become T contiguous blocks of 1000; its async-parallel-for
  /// (thread-runtime=async) cuts an scf.parallel of I iterations into blocks
  /// of max(ceil(I / (8 x threads)), min-task-size = 1000) consecutive
  /// iterations, with I = 1000 x threads exactly `threads` blocks. Any
  /// other contiguous split of equal-cost sub-chunks still balances.
  static constexpr int64_t kSubChunks = 1000;
  std::vector<int32_t> chunkBounds(const std::vector<int64_t> &cum, int64_t n) {
    int64_t numGroups = int64_t(cum.size()) - 1;
    uint64_t total = numGroups > 0 ? uint64_t(cum.back()) : 0;
    uint64_t colVectors =
        n == 0 ? 1 : uint64_t((n + target.vw - 1) / target.vw);
    if (threads <= 1 || numGroups < 2 ||
        total * colVectors < uint64_t(parallelMinWords))
      return {};
    int64_t numChunks = int64_t(std::min<unsigned>(threads, 256)) * kSubChunks;
    std::vector<int32_t> bounds(numChunks + 1);
    bounds[0] = 0;
    for (int64_t c = 1; c < numChunks; ++c) {
      uint64_t goal = total * uint64_t(c) / uint64_t(numChunks);
      // First group boundary at or past the goal, or the one before it if
      // that is closer.
      auto it = std::lower_bound(cum.begin(), cum.end(), int64_t(goal));
      int64_t g = std::min<int64_t>(it - cum.begin(), numGroups);
      if (g > 0 && goal - uint64_t(cum[g - 1]) < uint64_t(cum[g]) - goal)
        --g;
      bounds[c] = int32_t(std::max<int64_t>(g, bounds[c - 1]));
    }
    bounds[numChunks] = int32_t(numGroups);
    return bounds;
  }

  /// The `stats` line of every layer still decoded to a dense buffer (no
  /// kernel reads it compressed): layout=dense and its consumers.
  void printDenseLayers() {
    module.walk([&](dc::DecompressOp op) {
      auto constant = op.getInput().getDefiningOp<dc::ConstantOp>();
      if (!constant || op->use_empty())
        return;
      std::string name = "w";
      if (auto layer = constant->getAttrOfType<StringAttr>("dc.layer"))
        name = layer.getValue().str();
      SmallVector<StringRef> consumers;
      for (Operation *user : op->getUsers())
        if (!llvm::is_contained(consumers, user->getName().getStringRef()))
          consumers.push_back(user->getName().getStringRef());
      dc::printDenseLayerStats(llvm::errs(), "dc-lower-compute", name, "dense",
                               llvm::join(consumers, ","), constant);
    });
  }

  /// Replaces `op` (on tensors) with dc.decompress + dense linalg; on
  /// memrefs, where that needs tensors, fails with an error saying `why`
  /// there is no kernel.
  LogicalResult lowerDense(Operation *op, StringRef why) {
    if (op->getNumResults() == 0)
      return op->emitOpError("on memrefs needs a kernel, but ")
             << why
             << "; lower it before bufferization "
                "(dc-lower-decompress{keep-compute=1} lowers such ops to "
                "dense linalg)";
    OpBuilder b(op);
    Value result = dc::buildDenseContraction(b, op);
    if (!result)
      return failure();
    op->getResult(0).replaceAllUsesWith(result);
    op->erase();
    return success();
  }

  /// `buffer` as a value of the kernel operand type `type`: a memref.cast
  /// when every static stride and offset of `type` is statically the same
  /// in `buffer` (a cast cannot change the layout), else a copy into a
  /// fresh allocation of `type`'s shape (freed by the buffer deallocation
  /// that follows bufferization).
  static Value castOrCopy(OpBuilder &b, Location loc, Value buffer,
                          MemRefType type) {
    auto from = cast<MemRefType>(buffer.getType());
    if (from == type)
      return buffer;
    SmallVector<int64_t> fromStrides, toStrides;
    int64_t fromOffset, toOffset;
    bool same = succeeded(from.getStridesAndOffset(fromStrides, fromOffset)) &&
                succeeded(type.getStridesAndOffset(toStrides, toOffset)) &&
                (ShapedType::isDynamic(toOffset) || fromOffset == toOffset);
    for (auto [f, t] : llvm::zip_equal(fromStrides, toStrides))
      same &= ShapedType::isDynamic(t) || f == t;
    if (same && memref::CastOp::areCastCompatible(from, type))
      return memref::CastOp::create(b, loc, type, buffer);
    Value copy = memref::AllocOp::create(
        b, loc, MemRefType::get(type.getShape(), type.getElementType()),
        ValueRange{}, b.getI64IntegerAttr(64));
    memref::CopyOp::create(b, loc, buffer, copy);
    // The kernels' operand types (unit innermost stride, any offset and
    // outer strides) accept an identity buffer.
    return copy.getType() == type
               ? copy
               : memref::CastOp::create(b, loc, type, copy).getResult();
  }

  void runOnOperation() override {
    module = getOperation();
    kernels.clear();
    layoutsEmitted.clear();
    shared = SharedFunctions();
    if (std::string msg = validateOptions(); !msg.empty()) {
      emitError(UnknownLoc::get(&getContext())) << msg;
      return signalPassFailure();
    }
    target = resolveTarget(targetCpu, vectorWidth);
    LayoutOptions layoutOptions;
    parseLayoutOption(layout, layoutOptions.layout);
    layoutOptions.maxRuntimeRatio = maxRuntimeRatio;
    layoutOptions.denseDensity = denseDensity;
    layoutOptions.rowsPerGroup = rowsPerGroup;
    layoutOptions.tileVariant = tileVariant == "s3"       ? TileVariant::S3
                                : tileVariant == "expand" ? TileVariant::Expand
                                                          : TileVariant::Auto;
    planner = std::make_shared<LayoutPlanner>(target, layoutOptions);
    SmallVector<Operation *> ops;
    module.walk([&](Operation *op) {
      if (isa<dc::MatvecOp, dc::MatmulOp>(op))
        ops.push_back(op);
    });
    for (Operation *op : ops) {
      // Tensors (result = the kernel's fresh buffer) or, after
      // bufferization, memrefs (the kernel writes `outs` in place).
      Value w = op->getOperand(0), input = op->getOperand(1),
            init = op->getOperand(2);
      bool onBuffers = op->getNumResults() == 0;
      bool transposeW = op->hasAttr("transpose_w");
      auto constant = w.getDefiningOp<dc::ConstantOp>();
      auto inType = cast<ShapedType>(input.getType());
      auto outType = cast<ShapedType>(init.getType());
      bool isMatmul = isa<dc::MatmulOp>(op);
      // Declared sizes are checked before any layout or buffer of that size
      // is built (a tiny payload may declare 2^40 rows).
      if (failed(dc::checkMaterializable(op, w.getType(), "weight")) ||
          failed(dc::checkMaterializable(op, inType, "input")) ||
          failed(dc::checkMaterializable(op, outType, "result")))
        return signalPassFailure();
      if (!constant || !inType.hasStaticShape() || !outType.hasStaticShape()) {
        if (failed(lowerDense(op, "its weight is not a dc.constant or its "
                                  "shapes are not static")))
          return signalPassFailure();
        continue;
      }
      int64_t n = isMatmul ? inType.getDimSize(1) : 0;
      FailureOr<std::optional<LayoutKind>> requested = planner->requested(op);
      if (failed(requested))
        return signalPassFailure();
      LayoutPlanner::Entry *entry =
          planner->getEntry(constant, transposeW, op);
      if (!entry) {
        // Errors in the payload are reported by getView / decodeEntries.
        if (failed(lowerDense(op, "no execution layout can be built for its "
                                  "weight (see the remark)")))
          return signalPassFailure();
        continue;
      }
      int64_t groups = 1;
      if (auto attr = op->getAttrOfType<IntegerAttr>("groups"))
        groups = attr.getInt();
      LayoutKind kind = planner->choose(*entry, n, groups, *requested, op);
      func::FuncOp kernel = getKernel(entry, kind, n, groups, op);
      if (!kernel)
        return signalPassFailure();
      OpBuilder b(op);
      Location loc = op->getLoc();
      MLIRContext *ctx = op->getContext();
      int64_t dyn = ShapedType::kDynamic;
      auto kernelType = kernel.getFunctionType();
      auto xType = cast<MemRefType>(kernelType.getInput(0));
      auto yType = cast<MemRefType>(kernelType.getInput(1));
      ValueRange epilogueOperands = dc::getEpilogueOperands(op);
      if (onBuffers) {
        Value xBuf = castOrCopy(b, loc, input, xType);
        SmallVector<Value> args{xBuf, Value()};
        for (auto [i, v] : llvm::enumerate(epilogueOperands))
          args.push_back(castOrCopy(
              b, loc, v, cast<MemRefType>(kernelType.getInput(2 + i))));
        // `outs` itself when it has the kernel's (identity) layout.
        Value yBuf = init.getType() == yType
                         ? init
                         : memref::AllocOp::create(b, loc, yType, ValueRange{},
                                                   b.getI64IntegerAttr(64))
                               .getResult();
        args[1] = yBuf;
        func::CallOp::create(b, loc, kernel, args);
        if (yBuf != init)
          memref::CopyOp::create(b, loc, yBuf, init);
        op->erase();
        continue;
      }
      SmallVector<int64_t> dynStrides(inType.getRank(), dyn);
      auto anyLayout =
          MemRefType::get(inType.getShape(), inType.getElementType(),
                          StridedLayoutAttr::get(ctx, dyn, dynStrides));
      Value xBuf = bufferization::ToBufferOp::create(b, loc, anyLayout, input,
                                                     /*read_only=*/true);
      xBuf = memref::CastOp::create(b, loc, xType, xBuf);
      Value yBuf = memref::AllocOp::create(b, loc, yType, ValueRange{},
                                           b.getI64IntegerAttr(64));
      SmallVector<Value> args{xBuf, yBuf};
      for (auto [i, v] : llvm::enumerate(epilogueOperands)) {
        auto vType = cast<ShapedType>(v.getType());
        auto argType = cast<MemRefType>(kernelType.getInput(2 + i));
        SmallVector<int64_t> strides(vType.getRank(), dyn);
        Value buf = bufferization::ToBufferOp::create(
            b, loc,
            MemRefType::get(vType.getShape(), vType.getElementType(),
                            StridedLayoutAttr::get(ctx, dyn, strides)),
            v, /*read_only=*/true);
        args.push_back(memref::CastOp::create(b, loc, argType, buf));
      }
      func::CallOp::create(b, loc, kernel, args);
      Value result = bufferization::ToTensorOp::create(
          b, loc, op->getResult(0).getType(), yBuf, /*restrict=*/true,
          /*writable=*/true);
      op->getResult(0).replaceAllUsesWith(result);
      op->erase();
    }
    if (stats)
      printDenseLayers();
    // Compressed constants used only by the lowered ops are dead now.
    SmallVector<dc::ConstantOp> dead;
    module.walk([&](dc::ConstantOp c) {
      if (c->use_empty())
        dead.push_back(c);
    });
    for (dc::ConstantOp c : dead)
      c->erase();
    // dc_init() / dc_status() over the kernels' load-time initializers too
    // (dc-lower-decompress emits them first when this pass runs after
    // bufferization; emitting again replaces them).
    if (!ops.empty() && failed(dc::emitInitEntryPoints(module)))
      return signalPassFailure();
  }
};

} // namespace
