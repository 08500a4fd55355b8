# Gives the test cases of a Catch2 executable tagged [slow] their labels and
# timeout, after catch_discover_tests has added them to CTest (see
# drydock_discover_tests in tests/CMakeLists.txt). Runs after each build:
#   cmake -DEXE=<test executable> -DSPEC=<test spec> -DPREFIX=<test name prefix>
#         -DLABEL=<label> -DTIMEOUT=<seconds> -DOUT=<CTest file> -P slow_tests.cmake
execute_process(COMMAND "${EXE}" "${SPEC}[slow]" --list-test-names-only
                OUTPUT_VARIABLE names RESULT_VARIABLE rc)
if(rc LESS 0 OR NOT rc MATCHES "^[0-9]+$")
  message(FATAL_ERROR "${EXE} --list-test-names-only failed: ${rc}")
endif()
string(REPLACE "\n" ";" names "${names}")
set(script "")
foreach(name IN LISTS names)
  if(name)
    string(APPEND script "set_tests_properties([==[${PREFIX}${name}]==] PROPERTIES "
                         "LABELS [==[${LABEL};slow]==] TIMEOUT ${TIMEOUT})\n")
  endif()
endforeach()
file(WRITE "${OUT}" "${script}")
