// The HDF5 module: its code arrives with its issue (see `issues`).
