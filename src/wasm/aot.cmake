# aot.cmake — the native tier's build needs, included by the top-level
# CMakeLists.txt: the texts of aot_abi.h and numeric.h embedded as C strings
# (the generated C carries them, so the code the interpreter runs and the code
# the C compiler builds share one description), and libdl for dlopen.
set(ISORUN_AOT_TEXT_C ${CMAKE_BINARY_DIR}/generated/aot_text.c)
add_custom_command(
  OUTPUT ${ISORUN_AOT_TEXT_C}
  COMMAND ${CMAKE_COMMAND}
          -DOUT=${ISORUN_AOT_TEXT_C}
          -DABI=${PROJECT_SOURCE_DIR}/src/wasm/aot_abi.h
          -DNUMERIC=${PROJECT_SOURCE_DIR}/src/wasm/numeric.h
          -P ${PROJECT_SOURCE_DIR}/src/wasm/embed_text.cmake
  DEPENDS ${PROJECT_SOURCE_DIR}/src/wasm/aot_abi.h ${PROJECT_SOURCE_DIR}/src/wasm/numeric.h
          ${PROJECT_SOURCE_DIR}/src/wasm/embed_text.cmake
  COMMENT "Embedding the native tier's C prelude"
  VERBATIM)
target_sources(isorun PRIVATE ${ISORUN_AOT_TEXT_C})
target_link_libraries(isorun PUBLIC ${CMAKE_DL_LIBS})
