#include "emit/pipeline.h"

#include "emit/validator_emitter_checks.h"
#include "ir/build.h"
#include "spec/workspace.h"

#include <fstream>
#include <sstream>

namespace keel::gen::emit {

std::optional<std::vector<File>> generate_from_spec(const std::string& spec_path,
                                                    const Options& options, Diagnostics& diags) {
  spec::Workspace ws;
  if (!ws.load_root(spec_path, diags)) return std::nullopt;
  spec::check_document(ws, diags);
  if (diags.has_errors()) return std::nullopt;
  ir::SchemaBuildOptions schema_options;
  use_runtime_checks(schema_options);
  auto api = ir::build(ws, diags, schema_options);
  if (!api) return std::nullopt;
  // /openapi.yaml serves the document exactly as written.
  std::ifstream in(spec_path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  api->spec_yaml = text.str();
  auto files = generate(*api, options, diags);
  if (diags.has_errors()) return std::nullopt;
  return files;
}

}  // namespace keel::gen::emit
