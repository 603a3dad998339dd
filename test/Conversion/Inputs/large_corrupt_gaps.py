"""Writes a dc.constant with more entries than the verifier decodes in full
(2^22) whose relative indices run past its row: every stored gap is 1, so
the N entries would need 2N columns of a row of N. Only decoding finds it;
dc-lower-decompress must diagnose it rather than emit loops over it."""
n = (1 << 22) + 96
ty = ("!dc.compressed<tensor<1x%dxf32>, #dc.encoding<format = csr, bits = 1,"
      " index_bits = 1, entropy = none>>" % n)
ones = "0x" + "FF" * (n // 8)
print("func.func @large_corrupt_gaps() -> tensor<1x%dxf32> {" % n)
print("  // expected-error@+1 {{cannot be lowered: }}")
print("  %%c = dc.constant {codebook = dense<[0.0, 1.0]> : tensor<2xf32>, "
      "pointers = dense<[0, %d]> : tensor<2xi32>, values = dense<\"%s\"> : "
      "tensor<%dxi8>, gaps = dense<\"%s\"> : tensor<%dxi8>, num_entries = %d : i64} : %s"
      % (n, ones, n // 8, ones, n // 8, n, ty))
print("  %%d = dc.decompress %%c : %s -> tensor<1x%dxf32>" % (ty, n))
print("  return %%d : tensor<1x%dxf32>" % n)
print("}")
