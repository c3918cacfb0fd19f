# Headers include what they use: every header of the tree that does not reach LibTorch is compiled on its
# own, twice in one translation unit (the include guard must hold), without any precompiled header.
# The LibTorch targets compile with a precompiled <torch/torch.h> that drags in most of the standard
# library, so a header missing <limits> or <algorithm> builds there by accident; this target is where it
# breaks. -O0 and one small TU per header keep it to seconds. Part of `make build` when tests are on.

set(ABLATE_HEADER_FOLDERS core runner results plots bench)
set(header_sources)
foreach(folder ${ABLATE_HEADER_FOLDERS})
  file(GLOB_RECURSE headers CONFIGURE_DEPENDS RELATIVE ${PROJECT_SOURCE_DIR} ${PROJECT_SOURCE_DIR}/${folder}/*.h)
  foreach(header ${headers})
    if(NOT ABLATE_WITH_PLOTS AND header MATCHES "^plots/")
      continue()
    endif()
    ablate_reaches_torch(${header} torch)
    if(torch)
      continue()
    endif()
    string(MAKE_C_IDENTIFIER ${header} stem)
    set(source ${CMAKE_CURRENT_BINARY_DIR}/header_check/${stem}.cpp)
    file(CONFIGURE OUTPUT ${source} CONTENT "#include \"${header}\"\n#include \"${header}\"\n")
    list(APPEND header_sources ${source})
  endforeach()
endforeach()

add_library(header_check OBJECT ${header_sources})
# For the third-party include paths and definitions only; nothing is linked.
target_link_libraries(header_check PRIVATE ablate_config ablate_results fmt::fmt yaml-cpp
  nlohmann_json::nlohmann_json CLI11::CLI11)
target_compile_options(header_check PRIVATE -O0)
