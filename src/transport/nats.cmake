# nats.cmake — the NATS transport (src/transport/nats.c, natslib.c), included
# by the top-level CMakeLists.txt after the library target exists.
#
# ISORUN_NATS defaults to ON when pkg-config finds Debian's libnats
# (apt-get install libnats-dev). Without it nats.c still compiles, and
# nats:// addresses fail with an error saying how to enable them.
#
# libnats-dev is needed to build (headers: types, constants, signatures),
# but isorun does not link libnats: natslib.c loads it with dlopen on the
# first use of a nats:// address, so a process that never uses NATS does not
# pay for loading it and its dependencies (libssl, libcrypto, libprotobuf-c)
# at start-up. At run time it needs Debian's libnats3.4 (or ISORUN_LIBNATS
# naming the library; docs/protocol.md).
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
  set_source_files_properties(${PROJECT_SOURCE_DIR}/src/transport/nats.c
                              ${PROJECT_SOURCE_DIR}/src/transport/natslib.c PROPERTIES
    COMPILE_DEFINITIONS ISORUN_HAVE_NATS
    INCLUDE_DIRECTORIES "${ISORUN_LIBNATS_INCLUDE_DIRS}")
  # dlopen is in libc since glibc 2.34; older C libraries need libdl (and
  # linking it when not needed would add a library to every start-up).
  include(CheckSymbolExists)
  check_symbol_exists(dlopen dlfcn.h ISORUN_DLOPEN_IN_LIBC)
  if(NOT ISORUN_DLOPEN_IN_LIBC)
    target_link_libraries(isorun PUBLIC ${CMAKE_DL_LIBS})
  endif()
  message(STATUS "isorun: NATS transport enabled (libnats ${ISORUN_LIBNATS_VERSION}, loaded on first use)")
else()
  message(STATUS "isorun: NATS transport disabled (ISORUN_NATS=OFF)")
endif()
