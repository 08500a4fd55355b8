# Decompresses a dataset's memory image (its one memory.<format>.zst) once into
# the build tree for the integration tests, as <OUT>/memory.<format>.
# Usage: cmake -DSRC=<shared/dumps/NAME> -DOUT=<dir> -P prepare_dumps.cmake
file(GLOB packed "${SRC}/memory.*.zst")
list(LENGTH packed count)
if(NOT count EQUAL 1)
  message(FATAL_ERROR "expected one memory.*.zst in ${SRC}, found ${count} (is ../shared beside the checkout?)")
endif()
get_filename_component(name "${packed}" NAME)
string(REGEX REPLACE "\\.zst$" "" name "${name}")
set(dump "${OUT}/${name}")
# zstd writes a .part file that is renamed when complete, so an existing dump
# is whole; it is made again when the compressed one is newer.
if(NOT EXISTS "${dump}" OR "${packed}" IS_NEWER_THAN "${dump}")
  file(MAKE_DIRECTORY "${OUT}")
  execute_process(COMMAND zstd -d -q -f "${packed}" -o "${dump}.part" RESULT_VARIABLE rc)
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "zstd -d ${packed} failed (${rc})")
  endif()
  file(RENAME "${dump}.part" "${dump}")
  # zstd gives the output the input's time, which IS_NEWER_THAN counts as newer.
  file(TOUCH "${dump}")
endif()
