# Acceptance cases from the real corpus (../shared/testdata/acceptance.json):
# one ctest per case, the built binary run with the case's exact argv and
# compared with its exit code. Read at configure time with string(JSON).
# Without ../shared, one test says so and is skipped.
set(KEYATTEST_SHARED_TESTDATA "${PROJECT_SOURCE_DIR}/../shared/testdata")
# The commands whose cases run: each verifier adds its capability when it
# lands, so the suite never runs a case for a command that does not exist.
set(KEYATTEST_ACCEPTANCE_CAPABILITIES snp maa maa-policy maa-evidence release-policy release-response)
# `maa --require-evidence` cases (SGX evidence of the signing key,
# docs/sgx-evidence.md) run when "maa-evidence" is listed too.

set(acceptance_file "${KEYATTEST_SHARED_TESTDATA}/acceptance.json")
if(NOT EXISTS "${acceptance_file}")
  add_test(NAME Acceptance.SharedCorpusAbsent
    COMMAND ${CMAKE_COMMAND} -E echo "SKIP: ${acceptance_file} is absent; real-data acceptance cases not run")
  set_tests_properties(Acceptance.SharedCorpusAbsent PROPERTIES LABELS acceptance SKIP_REGULAR_EXPRESSION "SKIP:")
  return()
endif()
set_property(DIRECTORY APPEND PROPERTY CMAKE_CONFIGURE_DEPENDS "${acceptance_file}")
file(READ "${acceptance_file}" acceptance_json)
get_filename_component(corpus "${KEYATTEST_SHARED_TESTDATA}" REALPATH)
string(JSON case_count LENGTH "${acceptance_json}" cases)
math(EXPR last "${case_count} - 1")
foreach(i RANGE ${last})
  string(JSON case_id GET "${acceptance_json}" cases ${i} id)
  string(JSON capability GET "${acceptance_json}" cases ${i} capability)
  string(JSON expected_exit GET "${acceptance_json}" cases ${i} exit)
  if(NOT capability IN_LIST KEYATTEST_ACCEPTANCE_CAPABILITIES)
    continue()
  endif()
  string(JSON argc LENGTH "${acceptance_json}" cases ${i} argv)
  math(EXPR argv_last "${argc} - 1")
  set(argv)
  foreach(k RANGE ${argv_last})
    string(JSON arg GET "${acceptance_json}" cases ${i} argv ${k})
    string(REPLACE "{corpus}" "${corpus}" arg "${arg}")
    list(APPEND argv "${arg}")
  endforeach()
  if("--require-evidence" IN_LIST argv AND NOT "maa-evidence" IN_LIST KEYATTEST_ACCEPTANCE_CAPABILITIES)
    continue()
  endif()
  string(REPLACE ";" "\\;" argv_escaped "${argv}")
  add_test(NAME "Acceptance.${case_id}"
    COMMAND ${CMAKE_COMMAND} "-DBINARY=$<TARGET_FILE:validate_attestation>" "-DARGS=${argv_escaped}"
            "-DEXPECTED_EXIT=${expected_exit}" -P "${CMAKE_CURRENT_LIST_DIR}/run_case.cmake")
  set_tests_properties("Acceptance.${case_id}" PROPERTIES LABELS "acceptance;${capability}")
endforeach()
