# Runs one acceptance case: BINARY with ARGS (a list), compares the exit
# code with EXPECTED_EXIT and prints the output when they differ.
# add_test hands the list over with its separators escaped (\;): restore them.
string(REPLACE "\\;" ";" ARGS "${ARGS}")
execute_process(COMMAND "${BINARY}" ${ARGS}
  RESULT_VARIABLE actual_exit OUTPUT_VARIABLE out ERROR_VARIABLE err)
if(NOT "${actual_exit}" STREQUAL "${EXPECTED_EXIT}")
  message(FATAL_ERROR "exit ${actual_exit}, expected ${EXPECTED_EXIT}\nargv: ${ARGS}\nstdout:\n${out}\nstderr:\n${err}")
endif()
message(STATUS "exit ${actual_exit} as expected")
