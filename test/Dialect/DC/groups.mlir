// dc.matmul / dc.matvec with `groups`: the printed form, the default (1,
// not printed) and every diagnostic of the attribute.
// RUN: dc-opt %s -split-input-file -verify-diagnostics | FileCheck %s

// CHECK-LABEL: func @grouped
// CHECK: dc.matmul %{{.*}}, %{{.*}} outs(%{{.+}}) {groups = 2 : i64} : {{.*}}, tensor<6x4xf32>, tensor<2x4xf32> -> tensor<2x4xf32>
// CHECK: dc.matvec %{{.*}}, %{{.*}} outs(%{{.+}}) {groups = 2 : i64} : {{.*}}, tensor<6xf32>, tensor<2xf32> -> tensor<2xf32>
// CHECK: dc.matmul %{{.*}}, %{{.*}} outs(%{{.+}}) {groups = 3 : i64, transpose_w} : {{.*}}, tensor<6x4xf32>, tensor<3x4xf32> -> tensor<3x4xf32>
// CHECK: dc.matmul %{{.*}}, %{{.*}} outs(%{{.+}}) : {{.*}}, tensor<3x4xf32>, tensor<2x4xf32> -> tensor<2x4xf32>
func.func @grouped(%x: tensor<6x4xf32>, %v: tensor<6xf32>, %x3: tensor<3x4xf32>) -> (tensor<2x4xf32>, tensor<2xf32>, tensor<3x4xf32>, tensor<2x4xf32>) {
  %c = dc.constant {codebook = dense<[0.0, -1.0, 1.0, 2.0]> : tensor<4xf32>, pointers = dense<[0, 1, 1, 2]> : tensor<4xi32>, values = dense<[9]> : tensor<1xi8>, gaps = dense<[1]> : tensor<1xi8>, num_entries = 2 : i64} : !dc.compressed<tensor<2x3xf32>, #dc.encoding<format = csc, bits = 2, index_bits = 2>>
  %y_init = tensor.empty() : tensor<2x4xf32>
  %y = dc.matmul %c, %x outs(%y_init) {groups = 2} : !dc.compressed<tensor<2x3xf32>, #dc.encoding<format = csc, bits = 2, index_bits = 2>>, tensor<6x4xf32>, tensor<2x4xf32> -> tensor<2x4xf32>
  %z_init = tensor.empty() : tensor<2xf32>
  %z = dc.matvec %c, %v outs(%z_init) {groups = 2} : !dc.compressed<tensor<2x3xf32>, #dc.encoding<format = csc, bits = 2, index_bits = 2>>, tensor<6xf32>, tensor<2xf32> -> tensor<2xf32>
  %t_init = tensor.empty() : tensor<3x4xf32>
  %t = dc.matmul %c, %x outs(%t_init) {groups = 3, transpose_w} : !dc.compressed<tensor<2x3xf32>, #dc.encoding<format = csc, bits = 2, index_bits = 2>>, tensor<6x4xf32>, tensor<3x4xf32> -> tensor<3x4xf32>
  %d_init = tensor.empty() : tensor<2x4xf32>
  %d = dc.matmul %c, %x3 outs(%d_init) {groups = 1} : !dc.compressed<tensor<2x3xf32>, #dc.encoding<format = csc, bits = 2, index_bits = 2>>, tensor<3x4xf32>, tensor<2x4xf32> -> tensor<2x4xf32>
  return %y, %z, %t, %d : tensor<2x4xf32>, tensor<2xf32>, tensor<3x4xf32>, tensor<2x4xf32>
}

// -----

func.func @groups_zero(%x: tensor<3x4xf32>) {
  %c = dc.constant {codebook = dense<[0.0, -1.0, 1.0, 2.0]> : tensor<4xf32>, pointers = dense<[0, 1, 1, 2]> : tensor<4xi32>, values = dense<[9]> : tensor<1xi8>, gaps = dense<[1]> : tensor<1xi8>, num_entries = 2 : i64} : !dc.compressed<tensor<2x3xf32>, #dc.encoding<format = csc, bits = 2, index_bits = 2>>
  %y_init = tensor.empty() : tensor<2x4xf32>
  // expected-error@+1 {{'dc.matmul' op groups must be at least 1, got 0}}
  %y = dc.matmul %c, %x outs(%y_init) {groups = 0} : !dc.compressed<tensor<2x3xf32>, #dc.encoding<format = csc, bits = 2, index_bits = 2>>, tensor<3x4xf32>, tensor<2x4xf32> -> tensor<2x4xf32>
  return
}

// -----

func.func @groups_rows(%x: tensor<9x4xf32>) {
  %c = dc.constant {codebook = dense<[0.0, -1.0, 1.0, 2.0]> : tensor<4xf32>, pointers = dense<[0, 1, 1, 2]> : tensor<4xi32>, values = dense<[9]> : tensor<1xi8>, gaps = dense<[1]> : tensor<1xi8>, num_entries = 2 : i64} : !dc.compressed<tensor<2x3xf32>, #dc.encoding<format = csc, bits = 2, index_bits = 2>>
  %y_init = tensor.empty() : tensor<2x4xf32>
  // expected-error@+1 {{'dc.matmul' op the weight's 2 rows do not split into 3 groups}}
  %y = dc.matmul %c, %x outs(%y_init) {groups = 3} : !dc.compressed<tensor<2x3xf32>, #dc.encoding<format = csc, bits = 2, index_bits = 2>>, tensor<9x4xf32>, tensor<2x4xf32> -> tensor<2x4xf32>
  return
}

// -----

func.func @groups_input(%x: tensor<3x4xf32>) {
  %c = dc.constant {codebook = dense<[0.0, -1.0, 1.0, 2.0]> : tensor<4xf32>, pointers = dense<[0, 1, 1, 2]> : tensor<4xi32>, values = dense<[9]> : tensor<1xi8>, gaps = dense<[1]> : tensor<1xi8>, num_entries = 2 : i64} : !dc.compressed<tensor<2x3xf32>, #dc.encoding<format = csc, bits = 2, index_bits = 2>>
  %y_init = tensor.empty() : tensor<2x4xf32>
  // expected-error@+1 {{'dc.matmul' op input has 3 rows but the weight has 6 columns in all groups}}
  %y = dc.matmul %c, %x outs(%y_init) {groups = 2} : !dc.compressed<tensor<2x3xf32>, #dc.encoding<format = csc, bits = 2, index_bits = 2>>, tensor<3x4xf32>, tensor<2x4xf32> -> tensor<2x4xf32>
  return
}

// -----

func.func @groups_matvec(%v: tensor<3xf32>) {
  %c = dc.constant {codebook = dense<[0.0, -1.0, 1.0, 2.0]> : tensor<4xf32>, pointers = dense<[0, 1, 1, 2]> : tensor<4xi32>, values = dense<[9]> : tensor<1xi8>, gaps = dense<[1]> : tensor<1xi8>, num_entries = 2 : i64} : !dc.compressed<tensor<2x3xf32>, #dc.encoding<format = csc, bits = 2, index_bits = 2>>
  %y_init = tensor.empty() : tensor<2xf32>
  // expected-error@+1 {{'dc.matvec' op input has 3 rows but the weight has 6 columns in all groups}}
  %y = dc.matvec %c, %v outs(%y_init) {groups = 2} : !dc.compressed<tensor<2x3xf32>, #dc.encoding<format = csc, bits = 2, index_bits = 2>>, tensor<3xf32>, tensor<2xf32> -> tensor<2xf32>
  return
}

// -----

func.func @groups_negative(%x: tensor<3x4xf32>) {
  %c = dc.constant {codebook = dense<[0.0, -1.0, 1.0, 2.0]> : tensor<4xf32>, pointers = dense<[0, 1, 1, 2]> : tensor<4xi32>, values = dense<[9]> : tensor<1xi8>, gaps = dense<[1]> : tensor<1xi8>, num_entries = 2 : i64} : !dc.compressed<tensor<2x3xf32>, #dc.encoding<format = csc, bits = 2, index_bits = 2>>
  %y_init = tensor.empty() : tensor<2x4xf32>
  // expected-error@+1 {{'dc.matmul' op groups must be at least 1, got -2}}
  %y = dc.matmul %c, %x outs(%y_init) {groups = -2} : !dc.compressed<tensor<2x3xf32>, #dc.encoding<format = csc, bits = 2, index_bits = 2>>, tensor<3x4xf32>, tensor<2x4xf32> -> tensor<2x4xf32>
  return
}

// -----

// The group count times the weight columns must fit in 64 bits.
func.func @groups_overflow(%w: !dc.compressed<tensor<2x4611686018427387904xf32>, #dc.encoding<format = csc, bits = 2, index_bits = 2>>, %x: tensor<?x4xf32>, %y_init: tensor<2x4xf32>) {
  // expected-error@+1 {{'dc.matmul' op groups x weight columns overflows}}
  %y = dc.matmul %w, %x outs(%y_init) {groups = 2} : !dc.compressed<tensor<2x4611686018427387904xf32>, #dc.encoding<format = csc, bits = 2, index_bits = 2>>, tensor<?x4xf32>, tensor<2x4xf32> -> tensor<2x4xf32>
  return
}
