# Decompresses the real dump once into the build tree for the integration tests.
# Usage: cmake -DSRC=<shared/dumps/docker-basic> -DOUT=<dir> -P prepare_dumps.cmake
if(NOT EXISTS "${SRC}/memory.lime.zst")
  message(FATAL_ERROR "real dump not found: ${SRC}/memory.lime.zst (is ../shared beside the checkout?)")
endif()
file(MAKE_DIRECTORY "${OUT}")
set(lime "${OUT}/memory.lime")
if(EXISTS "${lime}")
  file(SIZE "${lime}" have)
endif()
if(NOT EXISTS "${lime}" OR NOT have EQUAL 1090715808)
  execute_process(COMMAND zstd -d -q -f "${SRC}/memory.lime.zst" -o "${lime}.part"
                  RESULT_VARIABLE rc)
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "zstd -d ${SRC}/memory.lime.zst failed (${rc})")
  endif()
  file(RENAME "${lime}.part" "${lime}")
endif()
