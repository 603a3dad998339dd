# ctest dc-install-consumer: installs this build into a fresh prefix inside
# the build directory, configures and builds test/Install/consumer against
# it with find_package(DeepCompression CONFIG), and runs the consumer.
# -D BUILD_DIR=... -D SOURCE_DIR=... -D WORK_DIR=... [-D LAUNCHER=ccache]
file(REMOVE_RECURSE ${WORK_DIR})
set(prefix ${WORK_DIR}/prefix)

function(run)
  execute_process(COMMAND ${ARGN} RESULT_VARIABLE rc)
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "failed (${rc}): ${ARGN}")
  endif()
endfunction()

run(${CMAKE_COMMAND} --install ${BUILD_DIR} --prefix ${prefix})
foreach(f bin/dc-opt bin/dc-lsp-server lib/DCPlugin.so lib/libDCRegistration.a
    lib/libDCCAPI.so include/dc-c/Compile.h
    include/dc/Register.h include/dc/Transforms/Passes.td
    include/dc/Transforms/Passes.h.inc
    lib/cmake/DeepCompression/DeepCompressionConfig.cmake)
  if(NOT EXISTS ${prefix}/${f})
    message(FATAL_ERROR "not installed: ${f}")
  endif()
endforeach()

set(launcher)
if(LAUNCHER)
  set(launcher -DCMAKE_CXX_COMPILER_LAUNCHER=${LAUNCHER})
endif()
# No MLIR_DIR given: the package finds the MLIR it was built with.
run(${CMAKE_COMMAND} -G Ninja -S ${SOURCE_DIR}/consumer -B ${WORK_DIR}/consumer
  -DCMAKE_PREFIX_PATH=${prefix} -DCMAKE_BUILD_TYPE=Release ${launcher})
run(${CMAKE_COMMAND} --build ${WORK_DIR}/consumer -j 2)
run(${WORK_DIR}/consumer/dc-consumer)
# The installed tools run from the prefix.
run(${prefix}/bin/dc-opt --version)
