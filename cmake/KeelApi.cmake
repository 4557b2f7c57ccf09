# keel_add_api(<target>
#   SPEC <openapi.yaml>          the document (its folder's other .yaml/.json are dependencies too)
#   [NAMESPACE <ns>]              C++ namespace of the generated code (default: <target> as an identifier)
#   [OUTPUT_DIR <dir>]            where the generated files go (default: in the build tree)
#   [CHECKED_IN]                  OUTPUT_DIR is under version control: with KEEL_REGENERATE=OFF
#                                 it is compiled as it is, and a test checks it is not stale
#   [LIBRARY]                     build a static library instead of an executable
#   [PARTS <n>]                   split validators, models and operations into n files each
#                                 (keel-gen generate --parts), so a big spec compiles in
#                                 parallel; default 1, one file each
#   [HANDLERS <sources>...]       your handlers (and main(), for an executable)
#   [LINK <libraries>...])        extra libraries for the target
#
# Generates routing, decoding, validators and the handler interface from SPEC with
# keel-gen whenever the spec or keel-gen (and so its templates) changes.
option(KEEL_REGENERATE "Regenerate checked-in generated code when its spec changes" ON)

function(keel_add_api target)
  cmake_parse_arguments(ARG "LIBRARY;CHECKED_IN" "SPEC;NAMESPACE;OUTPUT_DIR;PARTS" "HANDLERS;LINK" ${ARGN})
  if(NOT ARG_SPEC)
    message(FATAL_ERROR "keel_add_api(${target}): SPEC is required")
  endif()
  get_filename_component(spec "${ARG_SPEC}" ABSOLUTE)
  if(NOT ARG_NAMESPACE)
    string(MAKE_C_IDENTIFIER "${target}" ARG_NAMESPACE)
  endif()
  if(NOT ARG_OUTPUT_DIR)
    set(ARG_OUTPUT_DIR "${CMAKE_CURRENT_BINARY_DIR}/${target}_generated")
  endif()
  get_filename_component(out "${ARG_OUTPUT_DIR}" ABSOLUTE)

  if(NOT ARG_PARTS)
    set(ARG_PARTS 1)
  endif()
  if(NOT ARG_PARTS MATCHES "^[1-9][0-9]?[0-9]?$")
    message(FATAL_ERROR "keel_add_api(${target}): PARTS must be a number from 1 to 999")
  endif()

  # The names keel-gen writes (emit/parts.h): <stem>.cpp, or <stem>_0.cpp ... per part.
  set(generated "")
  foreach(name api.h router.cpp operations spec.cpp validators.h validators models.h models)
    if(name MATCHES "\\.")
      list(APPEND generated "${out}/${name}")
    elseif(ARG_PARTS EQUAL 1)
      list(APPEND generated "${out}/${name}.cpp")
    else()
      math(EXPR last "${ARG_PARTS} - 1")
      foreach(part RANGE ${last})
        list(APPEND generated "${out}/${name}_${part}.cpp")
      endforeach()
    endif()
  endforeach()

  if(NOT (ARG_CHECKED_IN AND NOT KEEL_REGENERATE))
    get_filename_component(spec_dir "${spec}" DIRECTORY)
    file(GLOB_RECURSE spec_files CONFIGURE_DEPENDS
         "${spec_dir}/*.yaml" "${spec_dir}/*.yml" "${spec_dir}/*.json")
    add_custom_command(
      OUTPUT ${generated}
      COMMAND keel-gen generate "${spec}" -o "${out}" --namespace "${ARG_NAMESPACE}" --parts ${ARG_PARTS}
      DEPENDS keel-gen ${spec_files} "${spec}"
      COMMENT "keel-gen: ${ARG_SPEC} -> ${out}"
      VERBATIM)
  endif()

  if(ARG_LIBRARY)
    add_library(${target} STATIC ${generated} ${ARG_HANDLERS})
  else()
    add_executable(${target} ${generated} ${ARG_HANDLERS})
  endif()
  target_include_directories(${target} PUBLIC "${out}")
  target_compile_options(${target} PRIVATE ${KEEL_WARNINGS})
  target_link_libraries(${target} PUBLIC keel ${ARG_LINK})
endfunction()
