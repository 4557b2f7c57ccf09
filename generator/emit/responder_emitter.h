#pragma once

// The typed responder of an operation (`<Operation>Response`): one static
// factory per documented status and media type, taking the model of that
// response's schema and its declared headers (docs/getting-started.md).

#include "ir/ir.h"

#include <string>

namespace keel::gen::emit {

struct ResponderCode {
  std::string declaration;  ///< the class, inside namespace <ns>, for api.h
  std::string definitions;  ///< its factories, inside namespace <ns>, for operations.cpp
  /// The factories' names and parameters and the header structs' members,
  /// without comments: what a handler depends on (see the shape fingerprint).
  std::string shape;
};

ResponderCode emit_responder(const ir::Operation& op, const ir::Models& models);

/// The C++ type of a declared response header.
std::string header_type(const ir::ResponseHeader& header);

}  // namespace keel::gen::emit
