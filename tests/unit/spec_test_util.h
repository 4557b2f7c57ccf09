#pragma once

// Helpers shared by the spec_*_test.cpp files.

#include "spec/diagnostic.h"
#include "spec/workspace.h"

#include <string>
#include <vector>

namespace keel::gen::spec::testing {

/// The ids of `diags`, in order, e.g. {"E-REF-MISSING", "W-REF-REMOTE"}.
inline std::vector<std::string> ids(const Diagnostics& diags) {
  std::vector<std::string> out;
  for (const auto& d : diags.all()) out.push_back(d.id);
  return out;
}

/// Every diagnostic formatted, one per line (for failure messages).
inline std::string dump(const Diagnostics& diags) {
  std::string out;
  for (const auto& d : diags.all()) out += format(d) + "\n";
  return out;
}

/// Loads `text` as openapi.yaml and checks it; the ids found.
inline std::vector<std::string> check_ids(const std::string& text, Diagnostics* keep = nullptr) {
  Workspace ws;
  Diagnostics diags;
  if (ws.load_root_text("openapi.yaml", text, diags)) check_document(ws, diags);
  if (keep != nullptr) *keep = diags;
  return ids(diags);
}

/// A valid 3.1 document head; tests append `paths:` / `components:`.
inline const char* const head31 = "openapi: 3.1.0\n"
                                  "info: {title: T, version: '1'}\n";

inline const char* const head30 = "openapi: 3.0.3\n"
                                  "info: {title: T, version: '1'}\n";

}  // namespace keel::gen::spec::testing
