# Run as `cmake -DOUTPUT=file.cpp -DTEMPLATES=a|b -P EmbedTemplates.cmake`:
# writes a C++ file that compiles keel-gen's templates into the binary, so
# the generator is one self-contained file and a template edit rebuilds it.
string(REPLACE "|" ";" TEMPLATES "${TEMPLATES}")
set(body "")
foreach(path IN LISTS TEMPLATES)
  get_filename_component(name "${path}" NAME)
  file(READ "${path}" text HEX)
  string(REGEX REPLACE "([0-9a-f][0-9a-f])" "'\\\\x\\1'," bytes "${text}")
  string(APPEND body "  if (name == \"${name}\") {\n    static const char data[] = {${bytes} 0};\n    return {data, sizeof data - 1};\n  }\n")
endforeach()
file(WRITE "${OUTPUT}.tmp" "// Generated from templates/ at build time.\n#include \"emit/generate.h\"\n\n#include <stdexcept>\n#include <string>\n\nnamespace keel::gen::emit {\n\nstd::string_view template_text(std::string_view name) {\n${body}  throw std::runtime_error(\"no template named \" + std::string(name));\n}\n\n}  // namespace keel::gen::emit\n")
file(COPY_FILE "${OUTPUT}.tmp" "${OUTPUT}" ONLY_IF_DIFFERENT)
