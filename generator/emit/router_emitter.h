#pragma once

#include "ir/ir.h"
#include "spec/diagnostic.h"

#include <string>

namespace keel::gen::emit {

/// The body of the generated `match_route`: a decision tree over path
/// segments, literal before partly templated before templated at each level
/// (OAS: concrete paths match before templated ones), backtracking by
/// falling through. Ambiguous routes are errors.
std::string emit_router(const ir::Api& api, Diagnostics& diags);

}  // namespace keel::gen::emit
