# Writes one_layout.h5, the HDF5 fixture of Hdf5Test, with h5py (Debian: python3-h5py), an
# HDF5 writer independent of litebit's jHDF: ONE's record-minmax layout /value/<record>/<input>,
# 3 records x 6 inputs, one per dtype and byte order. Values: element k of input i in record r is
# v(r, i, k) = (r * 100 + i * 10 + k) scaled/shifted per input as below; Hdf5Test recomputes them.
#   /usr/bin/python3 make_one_layout_h5.py   (run in this directory)
import h5py
import numpy as np

inputs = [
    ("<f4", (1, 2, 3), lambda x: x / 4.0 - 7.5),   # float32 little-endian
    (">f4", (2,), lambda x: -x / 8.0),              # float32 big-endian
    ("u1", (3,), lambda x: x % 256),                # uint8
    ("i1", (2, 2), lambda x: (x % 256) - 128),      # int8
    (">i4", (2,), lambda x: x * 100000 - 7),        # int32 big-endian
    ("<i8", (1,), lambda x: x * 10**12),            # int64
]
with h5py.File("one_layout.h5", "w") as f:
    value = f.create_group("value")
    for r in range(3):
        g = value.create_group(str(r))
        for i, (dt, shape, fn) in enumerate(inputs):
            n = int(np.prod(shape))
            base = np.array([r * 100 + i * 10 + k for k in range(n)], dtype=np.int64)
            g.create_dataset(str(i), data=np.asarray(fn(base)).astype(np.dtype(dt)).reshape(shape))
