#include "emit/pipeline.h"

#include "emit/write.h"
#include "ir/build.h"
#include "spec/workspace.h"

#include <fstream>
#include <sstream>

namespace keel::gen::emit {

bool generate_to_directory(const std::string& spec_path, const std::string& out_dir,
                           const Options& options, Diagnostics& diags) {
  spec::Workspace ws;
  if (!ws.load_root(spec_path, diags)) return false;
  spec::check_document(ws, diags);
  if (diags.has_errors()) return false;
  auto api = ir::build(ws, diags);
  if (!api) return false;
  // /openapi.yaml serves the document exactly as written.
  std::ifstream in(spec_path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  api->spec_yaml = text.str();
  auto files = generate(*api, options, diags);
  if (diags.has_errors()) return false;
  std::string error;
  if (!write_files(out_dir, files, error)) {
    diags.error("E-GEN-WRITE", error, Location{out_dir, 1, 1}, "");
    return false;
  }
  return true;
}

}  // namespace keel::gen::emit
