"""Regenerates VectorKernels.java from VectorKernels.java.tpl with the register tile unrolled.

Usage (from backend-native/): python3 tools/gen_vector_kernels.py [tile=6]
"""
import os
import sys
HERE = os.path.dirname(os.path.abspath(__file__))
R=int(sys.argv[1]) if len(sys.argv)>1 else 6
t=open(os.path.join(HERE, 'VectorKernels.java.tpl')).read()
sub={
 'R': str(R),
 'DECL': ", ".join(f"a{j}{v} = z" for j in range(R) for v in range(2)),
 'BASES': "    final int width = op.out.width();\n    int oy = p0 / width; // one division per tile; the tile's pixels follow in row order\n    int ox = p0 - oy * width;\n" + "\n".join(f"    final int b{j} = op.inBase(oy, ox);" + ("" if j == R - 1 else "\n    if (++ox == width) {\n      ox = 0;\n      oy++;\n    }") for j in range(R)),
 'TAPS': "\n".join(f"        final int i{j} = b{j} + d;" for j in range(R)),
 'FMAS': "\n".join(f"      x = FloatVector.broadcast(S, in[b{j} + d]);\n      a{j}0 = x.fma(w0, a{j}0);\n      a{j}1 = x.fma(w1, a{j}1);" for j in range(R)),
 'STORES': "    final boolean relu = op.activation.kind() == Activation.RELU; // ReLU in registers\n    oy = p0 / width;\n    ox = p0 - oy * width;\n" + "\n".join(f"    o = op.out.index(oy, ox) + cb;\n    if (relu) {{\n      a{j}0.add(bias0).max(0f).intoArray(out, o);\n      a{j}1.add(bias1).max(0f).intoArray(out, o + L);\n    }} else {{\n      a{j}0.add(bias0).intoArray(out, o);\n      a{j}1.add(bias1).intoArray(out, o + L);\n      activate(op.activation, out, o);\n    }}" + ("" if j == R - 1 else "\n    if (++ox == width) {\n      ox = 0;\n      oy++;\n    }") for j in range(R)),
 'DROWS': "\n".join(f"    final int x{j} = (r0 + {j}) * op.inStride;" for j in range(R)),
 'DFMAS': "\n".join(f"      x = FloatVector.broadcast(S, xs[x{j} + k]);\n      a{j}0 = x.fma(w0, a{j}0);\n      a{j}1 = x.fma(w1, a{j}1);" for j in range(R)),
 'DSTORES': "\n".join(f"    o = (r0 + {j}) * op.outStride + cb;\n    a{j}0.add(bias0).intoArray(y, o);\n    a{j}1.add(bias1).intoArray(y, o + L);\n    activate(op.activation, y, o);" for j in range(R)),
}
for k,v in sub.items(): t=t.replace('@@'+k+'@@', v)
open(os.path.join(HERE, '..', 'src/main/java/io/github/emotion4j/backend/nativejvm/VectorKernels.java'), 'w').write(t)
