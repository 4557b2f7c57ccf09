// The cases the runner knows: one per bench/validation/cases/<name>, each the
// two entry points keel-gen emitted for the case's root schema.
#pragma once

#include <keel/validation.h>

#include <nlohmann/json.hpp>

#include <vector>

namespace keel_bench {

struct Case {
  const char* name;      // cases/<name>
  const char* root;      // components/schemas key (meta.json source.schema)
  const char* function;  // the generated function, for the report
  bool (*fast)(const nlohmann::json&);
  // Runs the fast path, then collects only when it failed.
  bool (*errors)(const nlohmann::json&, keel::schema::Errors&);
};

/// Every case found when the build was configured, in name order.
const std::vector<const Case*>& cases();

}  // namespace keel_bench
