//===- StaticBuffers.cpp - dc-static-buffers ------------------------------===//
//
// A function's temporaries without a heap allocation per call (see
// GluePasses.td): small ones on the stack, the others at offsets of one
// static arena per function, planned by live range (first fit). The arena is
// taken with an atomic exchange of a per-function flag; a call that finds it
// taken (another thread, recursion) allocates its own for that call.
//
//===----------------------------------------------------------------------===//

#include "dc/Conversion/GluePasses.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/SymbolTable.h"

namespace dc {
#define GEN_PASS_DEF_DCSTATICBUFFERS
#include "dc/Conversion/GluePasses.h.inc"
} // namespace dc

using namespace mlir;

namespace {
constexpr int64_t kAlign = 64;

/// A temporary: allocated and freed in the function's entry block.
struct Temporary {
  memref::AllocOp alloc;
  memref::DeallocOp dealloc;
  int64_t bytes = 0;
  unsigned start = 0, end = 0; // positions in the entry block
  int64_t offset = 0;          // in the arena
};

/// Bytes of a static-shaped buffer of int/float elements, or nothing.
std::optional<int64_t> staticBytes(MemRefType type) {
  if (!type.hasStaticShape() || !type.getLayout().isIdentity() ||
      type.getMemorySpace())
    return std::nullopt;
  Type elem = type.getElementType();
  if (!elem.isIntOrFloat() || elem.getIntOrFloatBitWidth() % 8 != 0)
    return std::nullopt;
  return type.getNumElements() * (elem.getIntOrFloatBitWidth() / 8);
}

SmallVector<Temporary> findTemporaries(func::FuncOp func) {
  Block &entry = func.getBody().front();
  DenseMap<Operation *, unsigned> position;
  unsigned i = 0;
  for (Operation &op : entry)
    position[&op] = i++;
  SmallVector<Temporary> temps;
  for (Operation &op : entry) {
    auto alloc = dyn_cast<memref::AllocOp>(op);
    if (!alloc || !alloc.getDynamicSizes().empty() ||
        !alloc.getSymbolOperands().empty())
      continue;
    std::optional<int64_t> bytes = staticBytes(alloc.getType());
    if (!bytes)
      continue;
    memref::DeallocOp dealloc;
    unsigned deallocs = 0;
    for (Operation *user : alloc->getUsers())
      if (auto d = dyn_cast<memref::DeallocOp>(user)) {
        ++deallocs;
        dealloc = d;
      }
    // Exactly one free, unconditional, in the same block: the buffer lives
    // only during this call and never reaches the caller.
    if (deallocs != 1 || dealloc->getBlock() != &entry)
      continue;
    Temporary t;
    t.alloc = alloc;
    t.dealloc = dealloc;
    t.bytes = *bytes;
    t.start = position[alloc];
    t.end = position[dealloc];
    temps.push_back(t);
  }
  return temps;
}

/// First-fit offsets by live range; returns the arena size.
int64_t planOffsets(MutableArrayRef<Temporary *> temps) {
  llvm::sort(temps, [](Temporary *a, Temporary *b) {
    return a->start < b->start;
  });
  int64_t size = 0;
  SmallVector<Temporary *> placed;
  for (Temporary *t : temps) {
    SmallVector<std::pair<int64_t, int64_t>> busy; // [begin, end) in bytes
    for (Temporary *p : placed)
      if (p->end > t->start) // still live when t starts
        busy.push_back({p->offset, p->offset + p->bytes});
    llvm::sort(busy);
    int64_t offset = 0;
    for (auto [b, e] : busy) {
      if (offset + t->bytes <= b)
        break;
      offset = std::max<int64_t>(offset, llvm::alignTo(e, kAlign));
    }
    t->offset = offset;
    size = std::max<int64_t>(size, offset + t->bytes);
    placed.push_back(t);
  }
  return (int64_t)llvm::alignTo(std::max<int64_t>(size, 1), kAlign);
}

struct StaticBuffersPass
    : public dc::impl::DCStaticBuffersBase<StaticBuffersPass> {
  using DCStaticBuffersBase::DCStaticBuffersBase;

  void runOnOperation() override {
    ModuleOp module = getOperation();
    SymbolTable symbols(module);
    for (func::FuncOp func :
         llvm::make_early_inc_range(module.getOps<func::FuncOp>()))
      if (!func.isExternal())
        planFunction(func, symbols);
  }

  void planFunction(func::FuncOp func, SymbolTable &symbols) {
    SmallVector<Temporary> temps = findTemporaries(func);
    SmallVector<Temporary *> arenaTemps;
    for (Temporary &t : temps) {
      OpBuilder b(t.alloc);
      if ((uint64_t)t.bytes <= maxStackBytes) {
        auto alloca = memref::AllocaOp::create(
            b, t.alloc.getLoc(), t.alloc.getType(), ValueRange{},
            ValueRange{}, t.alloc.getAlignmentAttr());
        t.alloc.replaceAllUsesWith(alloca.getResult());
        t.dealloc.erase();
        t.alloc.erase();
      } else if (arena) {
        arenaTemps.push_back(&t);
      }
    }
    if (arenaTemps.empty())
      return;
    int64_t size = planOffsets(arenaTemps);
    MLIRContext *ctx = func.getContext();
    Location loc = func.getLoc();
    auto arenaType = MemRefType::get({size}, IntegerType::get(ctx, 8));
    auto flagType = MemRefType::get({}, IntegerType::get(ctx, 32));

    OpBuilder mb(func);
    std::string base = ("__dc_arena_" + func.getSymName()).str();
    auto arenaGlobal = memref::GlobalOp::create(
        mb, loc, base, mb.getStringAttr("private"), arenaType,
        mb.getUnitAttr(), /*constant=*/false,
        mb.getI64IntegerAttr(kAlign));
    symbols.insert(arenaGlobal);
    auto flagGlobal = memref::GlobalOp::create(
        mb, loc, base + "_busy", mb.getStringAttr("private"), flagType,
        DenseElementsAttr::get(RankedTensorType::get({}, mb.getI32Type()),
                               mb.getI32IntegerAttr(0).getValue()),
        /*constant=*/false, IntegerAttr());
    symbols.insert(flagGlobal);

    // Entry: take the arena (exchange 1 into the flag; it was free if the
    // old value is 0), else a heap buffer for this call.
    Block &entry = func.getBody().front();
    OpBuilder b(&entry, entry.begin());
    Value flag = memref::GetGlobalOp::create(b, loc, flagType,
                                             flagGlobal.getSymName());
    Value one = arith::ConstantIntOp::create(b, loc, 1, 32);
    Value zero = arith::ConstantIntOp::create(b, loc, 0, 32);
    Value old = memref::AtomicRMWOp::create(
        b, loc, arith::AtomicRMWKind::assign, one, flag, ValueRange{});
    Value mine = arith::CmpIOp::create(b, loc, arith::CmpIPredicate::eq, old,
                                       zero);
    auto pick = scf::IfOp::create(
        b, loc, mine,
        [&](OpBuilder &tb, Location l) {
          Value g = memref::GetGlobalOp::create(tb, l, arenaType,
                                                arenaGlobal.getSymName());
          scf::YieldOp::create(tb, l, g);
        },
        [&](OpBuilder &eb, Location l) {
          Value h = memref::AllocOp::create(eb, l, arenaType,
                                            eb.getI64IntegerAttr(kAlign));
          scf::YieldOp::create(eb, l, h);
        });
    Value buffer = pick.getResult(0);

    for (Temporary *t : arenaTemps) {
      OpBuilder vb(t->alloc);
      Value offset =
          arith::ConstantIndexOp::create(vb, t->alloc.getLoc(), t->offset);
      auto view = memref::ViewOp::create(vb, t->alloc.getLoc(),
                                         t->alloc.getType(), buffer, offset,
                                         ValueRange{});
      t->alloc.replaceAllUsesWith(view.getResult());
      t->dealloc.erase();
      t->alloc.erase();
    }

    // Every return: give the arena back, or free this call's heap buffer.
    func.walk([&](func::ReturnOp ret) {
      OpBuilder rb(ret);
      scf::IfOp::create(
          rb, ret.getLoc(), mine,
          [&](OpBuilder &tb, Location l) {
            memref::AtomicRMWOp::create(tb, l, arith::AtomicRMWKind::assign,
                                        zero, flag, ValueRange{});
            scf::YieldOp::create(tb, l);
          },
          [&](OpBuilder &eb, Location l) {
            memref::DeallocOp::create(eb, l, buffer);
            scf::YieldOp::create(eb, l);
          });
    });
  }
};
} // namespace
