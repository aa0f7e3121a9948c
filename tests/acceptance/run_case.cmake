# Runs one acceptance case: BINARY with ARGS (a list), compares the exit
# code with EXPECTED_EXIT and prints the output when they differ.
# ARGS arrives with its list separators escaped ("\;", so that add_test
# passes it as one -D value): unescape them to get the argument list back.
string(REPLACE "\\;" ";" args "${ARGS}")
execute_process(COMMAND "${BINARY}" ${args}
  RESULT_VARIABLE actual_exit OUTPUT_VARIABLE out ERROR_VARIABLE err)
if(NOT "${actual_exit}" STREQUAL "${EXPECTED_EXIT}")
  message(FATAL_ERROR "exit ${actual_exit}, expected ${EXPECTED_EXIT}\nargv: ${ARGS}\nstdout:\n${out}\nstderr:\n${err}")
endif()
message(STATUS "exit ${actual_exit} as expected")
