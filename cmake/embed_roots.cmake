# Generates embedded_roots.inc: the pinned root PEMs as string literals, so the
# binary needs no file at run time. Invoked at configure time.
function(keyattest_embed_roots out)
  set(content "// Generated from certs/ by cmake/embed_roots.cmake. Do not edit.\n#pragma once\n")
  foreach(pair "kEmbeddedLs1RootPem=marvell-ls1-localca-2024.pem" "kEmbeddedLs2RootPem=marvell-ls2-2024.pem"
               "kEmbeddedGoogleRootPem=google-hawksbill-root-v1-prod.pem")
    string(REPLACE "=" ";" parts "${pair}")
    list(GET parts 0 symbol)
    list(GET parts 1 file)
    set(path "${PROJECT_SOURCE_DIR}/certs/${file}")
    set_property(DIRECTORY APPEND PROPERTY CMAKE_CONFIGURE_DEPENDS "${path}")
    file(READ "${path}" pem)
    string(APPEND content "inline constexpr char ${symbol}[] = R\"PEM(${pem})PEM\";\n")
  endforeach()
  file(WRITE "${out}.tmp" "${content}")
  configure_file("${out}.tmp" "${out}" COPYONLY)
endfunction()
