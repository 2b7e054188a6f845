# install.cmake - the install tree: libautogen (static, and shared where libtcc
# allows), headers, autogen.pc, the CMake package, the man page and completions.

# libtcc goes into libautogen. Debian's libtcc.a is compiled as position-dependent
# code (it addresses glibc's stdout with R_X86_64_PC32), which a shared object cannot
# hold; a libtcc built with -fPIC (or a libtcc.so) can. Probe by linking one.
if(AUTOGEN_SHARED)
  include(CheckCSourceCompiles)
  set(CMAKE_REQUIRED_FLAGS -fPIC)
  set(CMAKE_REQUIRED_LINK_OPTIONS -shared)
  set(CMAKE_REQUIRED_INCLUDES ${LIBTCC_INCLUDE_DIR})
  set(CMAKE_REQUIRED_LIBRARIES ${LIBTCC_LIBRARY} ${CMAKE_DL_LIBS})
  set(CMAKE_REQUIRED_QUIET ON)
  check_c_source_compiles("#include <libtcc.h>
void *ag_probe(void);
void *ag_probe(void) { return tcc_new(); }
int main(void) { return 0; }" AG_LIBTCC_SHAREABLE)
  unset(CMAKE_REQUIRED_FLAGS)
  unset(CMAKE_REQUIRED_LINK_OPTIONS)
  unset(CMAKE_REQUIRED_INCLUDES)
  unset(CMAKE_REQUIRED_LIBRARIES)
  if(NOT AG_LIBTCC_SHAREABLE)
    message(STATUS "libautogen.so: not built, ${LIBTCC_LIBRARY} is not position-independent")
  endif()
endif()

set(AG_SOVERSION ${PROJECT_VERSION_MAJOR})
set(AG_SONAME libautogen.so.${AG_SOVERSION})
if(AUTOGEN_SHARED AND AG_LIBTCC_SHAREABLE)
  set_target_properties(autogen_obj PROPERTIES POSITION_INDEPENDENT_CODE ON)
  add_library(autogen_shared SHARED $<TARGET_OBJECTS:autogen_obj>)
  set_target_properties(autogen_shared PROPERTIES OUTPUT_NAME autogen
                        VERSION ${PROJECT_VERSION} SOVERSION ${AG_SOVERSION})
  target_link_libraries(autogen_shared PUBLIC autogen_obj)
  install(TARGETS autogen_shared LIBRARY DESTINATION ${CMAKE_INSTALL_LIBDIR})
endif()

# What a program linking libautogen needs besides it. A sanitized build needs the
# sanitizer runtime in the program too.
set(AG_LINK_OPTIONS "")
if(AUTOGEN_SANITIZE)
  set(AG_LINK_OPTIONS "-fsanitize=address,undefined")
endif()
get_filename_component(_tcc_dir ${LIBTCC_LIBRARY} DIRECTORY)
set(_tcc_flags "-ltcc")
if(NOT _tcc_dir IN_LIST CMAKE_C_IMPLICIT_LINK_DIRECTORIES)
  set(_tcc_flags "-L${_tcc_dir} -ltcc")
endif()
set(_static_libs "${_tcc_flags} -ldl -lpthread -lm")

# autogen.pc, relocatable: the prefix is found from the .pc file's own place. With
# only the static library, plain `pkg-config --libs autogen` must link, so the
# dependencies are public; next to a shared library they are private (--static).
if(IS_ABSOLUTE "${CMAKE_INSTALL_LIBDIR}")
  message(FATAL_ERROR "CMAKE_INSTALL_LIBDIR must be relative to the prefix")
endif()
file(RELATIVE_PATH AG_PC_RELPREFIX /p/${CMAKE_INSTALL_LIBDIR}/pkgconfig /p)
string(REGEX REPLACE "/$" "" AG_PC_RELPREFIX "${AG_PC_RELPREFIX}")
if(TARGET autogen_shared)
  set(AG_PC_REQUIRES "Requires.private")
  set(AG_PC_LIBS "${AG_LINK_OPTIONS}")
  set(AG_PC_PRIVATE "Libs.private: ${_static_libs}")
  set(AG_CMAKE_KIND SHARED)
  set(AG_CMAKE_FILE libautogen.so)
else()
  set(AG_PC_REQUIRES "Requires")
  set(AG_PC_LIBS "${_static_libs} ${AG_LINK_OPTIONS}")
  set(AG_PC_PRIVATE "")
  set(AG_CMAKE_KIND STATIC)
  set(AG_CMAKE_FILE libautogen.a)
endif()
configure_file(cmake/autogen.pc.in ${PROJECT_BINARY_DIR}/autogen.pc @ONLY)

# The CMake package: find_package(autogen) -> autogen::autogen.
set(AG_CMAKE_DIR ${CMAKE_INSTALL_LIBDIR}/cmake/autogen)
file(RELATIVE_PATH AG_CMAKE_RELPREFIX /p/${AG_CMAKE_DIR} /p)
configure_file(cmake/autogenConfig.cmake.in ${PROJECT_BINARY_DIR}/autogenConfig.cmake @ONLY)
include(CMakePackageConfigHelpers)
write_basic_package_version_file(${PROJECT_BINARY_DIR}/autogenConfigVersion.cmake
                                 COMPATIBILITY SameMajorVersion)

# The man page and the shell completions are printed by the built binary from its
# own command and option tables (hidden options --man, --completion), so they
# describe exactly the commands it has.
set(AG_GEN_DOCS ${PROJECT_BINARY_DIR}/autogen.1 ${PROJECT_BINARY_DIR}/autogen.bash
    ${PROJECT_BINARY_DIR}/_autogen)
add_custom_command(
  OUTPUT ${AG_GEN_DOCS}
  COMMAND ${CMAKE_COMMAND} -DEXE=$<TARGET_FILE:autogen> -DARGS=--man
          -DOUT=${PROJECT_BINARY_DIR}/autogen.1 -P ${PROJECT_SOURCE_DIR}/cmake/run_to_file.cmake
  COMMAND ${CMAKE_COMMAND} -DEXE=$<TARGET_FILE:autogen> -DARGS=--completion=bash
          -DOUT=${PROJECT_BINARY_DIR}/autogen.bash -P ${PROJECT_SOURCE_DIR}/cmake/run_to_file.cmake
  COMMAND ${CMAKE_COMMAND} -DEXE=$<TARGET_FILE:autogen> -DARGS=--completion=zsh
          -DOUT=${PROJECT_BINARY_DIR}/_autogen -P ${PROJECT_SOURCE_DIR}/cmake/run_to_file.cmake
  DEPENDS autogen ${PROJECT_SOURCE_DIR}/cmake/run_to_file.cmake
  COMMENT "Generating the man page and completions from the command tables")
add_custom_target(autogen_docs ALL DEPENDS ${AG_GEN_DOCS})

install(TARGETS autogen autogen_static
        RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR}
        ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR})
install(FILES ${PROJECT_BINARY_DIR}/autogen.pc DESTINATION ${CMAKE_INSTALL_LIBDIR}/pkgconfig)
install(FILES ${PROJECT_BINARY_DIR}/autogenConfig.cmake
              ${PROJECT_BINARY_DIR}/autogenConfigVersion.cmake DESTINATION ${AG_CMAKE_DIR})
install(DIRECTORY include/autogen DESTINATION ${CMAKE_INSTALL_INCLUDEDIR})
install(FILES ${PROJECT_BINARY_DIR}/autogen.1 DESTINATION ${CMAKE_INSTALL_MANDIR}/man1)
install(FILES ${PROJECT_BINARY_DIR}/autogen.bash DESTINATION
        ${CMAKE_INSTALL_DATAROOTDIR}/bash-completion/completions RENAME autogen)
install(FILES ${PROJECT_BINARY_DIR}/_autogen DESTINATION ${CMAKE_INSTALL_DATAROOTDIR}/zsh/site-functions)
