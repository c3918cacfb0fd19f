// Carrier of the shared precompiled <torch/torch.h> (see core/CMakeLists.txt); no code of its own.
