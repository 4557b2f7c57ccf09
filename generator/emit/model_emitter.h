#pragma once

// The model emitter: C++ declarations and definitions for ir::Models,
// in <namespace>::models (docs/models.md). from_json assumes an instance
// that passed its validator; to_json writes back exactly what was read.

#include "ir/model.h"

#include <string>
#include <string_view>
#include <vector>

namespace keel::gen::emit {

struct ModelCode {
  std::string declarations;  ///< inside namespace <ns>::models, for models.h
  std::string definitions;   ///< inside namespace <ns>::models, for models.cpp
  /// Where each model's definitions end in `definitions`: the places it may
  /// be cut to spread models.cpp over several files.
  std::vector<std::size_t> definition_ends;
};

/// `validators`: the qualified validator function of every SchemaSet root
/// (variants call the ones of their branches).
ModelCode emit_models(const ir::Models& models, const std::vector<std::string>& validators);

/// The C++ spelling of `type`, e.g. `std::vector<keel::Box<Node>>`; model
/// names get `scope` in front (`"models::"` from code in <namespace>).
std::string cpp_type(const ir::Models& models, const ir::TypeRef& type, std::string_view scope = "");

}  // namespace keel::gen::emit
