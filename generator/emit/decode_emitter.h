#pragma once

#include "ir/ir.h"
#include "spec/diagnostic.h"

#include <string>
#include <vector>

namespace keel::gen::emit {

/// One member of an operation's request struct.
struct Field {
  std::string comment;  ///< one line, without the leading `///`
  std::string declaration;  ///< e.g. `std::optional<std::int64_t> page;`
};

std::vector<Field> request_fields(const ir::Operation& op, Diagnostics& diags);

/// Statements that fill `input` from `request` and `match`, appending to
/// `errors`; they may `return` a 415 response. `validators` names the
/// validator function of each schema root (ir::Api::schemas.roots order).
std::string decode_statements(const ir::Operation& op, const std::vector<std::string>& validators);

}  // namespace keel::gen::emit
