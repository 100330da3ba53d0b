// HDF5 tests arrive with the HDF5 layer.
