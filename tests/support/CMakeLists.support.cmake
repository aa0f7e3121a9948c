# Test-support library (tests/support): fixed test keys, a generated test PKI,
# byte-exact Marvell blob builders and Azure attestation JSON.
# include() this after the `keyattest` library target is defined; test
# executables then link `keyattest_test_support`.

if(NOT TARGET OpenSSL::Crypto)
  find_package(OpenSSL 3 REQUIRED)
endif()
if(NOT TARGET nlohmann_json::nlohmann_json)
  find_package(nlohmann_json 3 REQUIRED)
endif()

add_library(keyattest_test_support STATIC
  ${CMAKE_CURRENT_LIST_DIR}/attestation_json.cc
  ${CMAKE_CURRENT_LIST_DIR}/attestation_files.cc
  ${CMAKE_CURRENT_LIST_DIR}/blob_builder.cc
  ${CMAKE_CURRENT_LIST_DIR}/der_edit.cc
  ${CMAKE_CURRENT_LIST_DIR}/jws_builder.cc
  ${CMAKE_CURRENT_LIST_DIR}/real_testdata.cc
  ${CMAKE_CURRENT_LIST_DIR}/cli_run.cc
  ${CMAKE_CURRENT_LIST_DIR}/snp_builder.cc
  ${CMAKE_CURRENT_LIST_DIR}/sgx_quote_builder.cc
  ${CMAKE_CURRENT_LIST_DIR}/test_keys.cc
  ${CMAKE_CURRENT_LIST_DIR}/test_pki.cc
)
# Headers are included as "tests/support/<name>.h" from the project root.
get_filename_component(KEYATTEST_TEST_SUPPORT_ROOT "${CMAKE_CURRENT_LIST_DIR}/../.." ABSOLUTE)
target_include_directories(keyattest_test_support PUBLIC ${KEYATTEST_TEST_SUPPORT_ROOT})
target_compile_features(keyattest_test_support PUBLIC cxx_std_20)
target_link_libraries(keyattest_test_support
  PUBLIC keyattest OpenSSL::Crypto nlohmann_json::nlohmann_json ZLIB::ZLIB)
# The real recordings live next to the project, never inside it.
get_filename_component(KEYATTEST_SHARED_DIR "${KEYATTEST_TEST_SUPPORT_ROOT}/../shared" ABSOLUTE)
target_compile_definitions(keyattest_test_support
  PRIVATE KEYATTEST_SHARED_DIR="${KEYATTEST_SHARED_DIR}")
# main() for the test executables: OpenSSL initialised as the CLI does.
if(TARGET GTest::gtest)
  add_library(keyattest_test_main STATIC ${CMAKE_CURRENT_LIST_DIR}/test_main.cc)
  target_link_libraries(keyattest_test_main PUBLIC keyattest GTest::gtest)
  if(COMMAND keyattest_harden)
    keyattest_harden(keyattest_test_main)
  endif()
endif()
if(COMMAND keyattest_harden)
  keyattest_harden(keyattest_test_support)
else()
  target_compile_options(keyattest_test_support PRIVATE
    -Wall -Wextra -Wpedantic -Wconversion -Wshadow -Werror)
endif()
