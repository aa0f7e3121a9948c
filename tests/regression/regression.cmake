# Regression corpus of hostile inputs (tests/regression/README.md), included
# from tests/CMakeLists.txt: one table-driven GoogleTest executable, label
# "regression".
add_executable(keyattest_regression_tests
  ${CMAKE_CURRENT_LIST_DIR}/regression_test.cc
  ${CMAKE_CURRENT_LIST_DIR}/regression_world.cc
)
target_link_libraries(keyattest_regression_tests PRIVATE keyattest keyattest_test_support keyattest_test_main ZLIB::ZLIB)
target_compile_definitions(keyattest_regression_tests PRIVATE
  KEYATTEST_REPO_TESTDATA="${PROJECT_SOURCE_DIR}/testdata"
  KEYATTEST_REGRESSION_CASES="${CMAKE_CURRENT_LIST_DIR}/cases")
keyattest_harden(keyattest_regression_tests)
gtest_discover_tests(keyattest_regression_tests DISCOVERY_TIMEOUT 120 PROPERTIES LABELS regression)
