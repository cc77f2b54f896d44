# nats.cmake — the NATS transport (src/transport/nats.c), included by the
# top-level CMakeLists.txt after the library target exists.
#
# ISORUN_NATS defaults to ON when pkg-config finds Debian's libnats
# (apt-get install libnats-dev). Without it nats.c still compiles, and
# nats:// addresses fail with an error saying how to enable them.
find_package(PkgConfig QUIET)
if(PkgConfig_FOUND)
  pkg_check_modules(ISORUN_LIBNATS QUIET libnats)
endif()
if(ISORUN_LIBNATS_FOUND)
  set(isorun_nats_default ON)
else()
  set(isorun_nats_default OFF)
endif()
option(ISORUN_NATS "NATS transport for remote calls (needs libnats-dev)" ${isorun_nats_default})

if(ISORUN_NATS)
  if(NOT ISORUN_LIBNATS_FOUND)
    message(FATAL_ERROR "ISORUN_NATS is ON but pkg-config cannot find libnats: apt-get install libnats-dev, "
                        "or configure with -DISORUN_NATS=OFF")
  endif()
  set_source_files_properties(${PROJECT_SOURCE_DIR}/src/transport/nats.c PROPERTIES
    COMPILE_DEFINITIONS ISORUN_HAVE_NATS
    INCLUDE_DIRECTORIES "${ISORUN_LIBNATS_INCLUDE_DIRS}")
  target_link_libraries(isorun PUBLIC ${ISORUN_LIBNATS_LINK_LIBRARIES})
  message(STATUS "isorun: NATS transport enabled (libnats ${ISORUN_LIBNATS_VERSION})")
else()
  message(STATUS "isorun: NATS transport disabled (ISORUN_NATS=OFF)")
endif()
