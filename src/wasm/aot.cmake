# aot.cmake — the native tier's build needs, included by the top-level
# CMakeLists.txt: the texts of aot_abi.h, numeric.h and simd.h embedded as C
# strings (the generated C carries them, so the code the interpreter runs and
# the code the C compiler builds share one description), the generator's identity,
# and libdl for dlopen.
set(ISORUN_AOT_TEXT_C ${CMAKE_BINARY_DIR}/generated/aot_text.c)
# Everything the generated C depends on: the engine's sources and the public
# header (trap numbers). Their hash names the generator, so cached objects are
# found from a module's bytes without generating its C again, and any change
# to the engine makes new ones.
file(GLOB ISORUN_AOT_GENERATOR_INPUTS CONFIGURE_DEPENDS
     ${PROJECT_SOURCE_DIR}/src/wasm/*.c ${PROJECT_SOURCE_DIR}/src/wasm/*.h ${PROJECT_SOURCE_DIR}/include/isorun.h)
list(SORT ISORUN_AOT_GENERATOR_INPUTS)
string(REPLACE ";" "|" isorun_aot_generator_arg "${ISORUN_AOT_GENERATOR_INPUTS}")
add_custom_command(
  OUTPUT ${ISORUN_AOT_TEXT_C}
  COMMAND ${CMAKE_COMMAND}
          -DOUT=${ISORUN_AOT_TEXT_C}
          -DABI=${PROJECT_SOURCE_DIR}/src/wasm/aot_abi.h
          -DNUMERIC=${PROJECT_SOURCE_DIR}/src/wasm/numeric.h
          -DSIMD=${PROJECT_SOURCE_DIR}/src/wasm/simd.h
          -DGENERATOR=${isorun_aot_generator_arg}
          -P ${PROJECT_SOURCE_DIR}/src/wasm/embed_text.cmake
  DEPENDS ${ISORUN_AOT_GENERATOR_INPUTS} ${PROJECT_SOURCE_DIR}/src/wasm/embed_text.cmake
  COMMENT "Embedding the native tier's C prelude"
  VERBATIM)
target_sources(isorun PRIVATE ${ISORUN_AOT_TEXT_C})
target_link_libraries(isorun PUBLIC ${CMAKE_DL_LIBS})
