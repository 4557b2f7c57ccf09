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

/// Request members holding the body as a model: one per distinct model type
/// among the JSON and form media types with a schema (`payload`, or
/// `payload_<media>` when the media types have different schemas).
struct Payload {
  std::string name;
  std::string type;  ///< the model, spelled from <namespace>
  std::vector<std::size_t> media;  ///< indexes into RequestBody::content
  bool plain = false;  ///< body required and every media type is this model: no std::optional
};
std::vector<Payload> payload_members(const ir::RequestBody& body, const ir::Models& models);

std::vector<Field> request_fields(const ir::Operation& op, const ir::Models& models, Diagnostics& diags);

/// Statements that fill `input` from `request` and `match`, appending to
/// `errors`; they may `return` a 415 response. `validators` names the
/// validator function of each schema root (ir::Api::schemas.roots order).
std::string decode_statements(const ir::Operation& op, const ir::Models& models,
                              const std::vector<std::string>& validators);

}  // namespace keel::gen::emit
