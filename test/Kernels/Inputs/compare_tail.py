"""The end of every generated test function: from the largest absolute
difference (%dm) and the reference's largest magnitude (%rm), both
tensor<f32>, print the relative error, whether it is below `tol` and the
scale, as the RUN lines' FileCheck patterns expect (`ok 1`)."""


def compare_tail(tol="1.0e-4"):
    return f"""    %dv = tensor.extract %dm[] : tensor<f32>
    %rv = tensor.extract %rm[] : tensor<f32>
    %tiny = arith.constant 1.0e-30 : f32
    %sc = arith.maximumf %rv, %tiny : f32
    %rel = arith.divf %dv, %sc : f32
    %tol = arith.constant {tol} : f32
    %ok = arith.cmpf olt, %rel, %tol : f32
    vector.print str "rel_err "
    vector.print %rel : f32
    vector.print str "ok "
    vector.print %ok : i1
    vector.print str "scale "
    vector.print %rv : f32"""
