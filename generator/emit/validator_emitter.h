#pragma once

// The validator emitter: C++ for a set of schemas (ir/schema.h).
//
// Maintainers: every schema that is not a plain `true`/`false` gets one
// function template `s<N><S>(instance, context, evaluated)`; S is
// keel::schema::Fast or Collect, so one body gives the yes/no path and the
// error-collecting path; the collecting path calls every subschema fast
// first and collects only where that fails. A `$ref` is a call, never an
// inlined copy (a schema that is only a `$ref` is skipped over), so the
// output grows linearly with the schemas and recursive schemas need
// nothing special. Three static analyses keep costs where they are needed:
// annotation tracking for unevaluated* (only in schemas an unevaluated*
// keyword can see in place), depth guards (only in functions on a cycle of
// the call graph) and the dynamic scope (only when a `$dynamicRef` is
// dynamic). Output depends only on the IR: same schemas, same bytes.

#include "ir/schema.h"
#include "spec/diagnostic.h"

#include <optional>
#include <string>
#include <vector>

namespace keel::gen::emit {

struct ValidatorOptions {
  std::string cpp_namespace = "schemas";  ///< may be nested (a::b)
  /// File name the sources include for the declarations. Empty: the
  /// first source declares the entry points itself.
  std::string header_name = "validators.h";
  /// Source files to spread the functions over (a large spec compiles in
  /// parallel). With one, every function is file-local and may be inlined;
  /// with more, they live in namespace <cpp_namespace>::validators_detail,
  /// so one namespace holds one validator set.
  std::size_t source_files = 1;
};

/// One public entry point: `bool <function>(const nlohmann::json&, ...)`.
struct ValidatorEntry {
  std::string schema_name;  ///< SchemaRoot::name
  std::string function;     ///< validate_<PascalName>, unique in the namespace
  std::string location;     ///< schema location, e.g. "#/components/schemas/Pet"
};

struct ValidatorCode {
  std::string header;
  std::vector<std::string> sources;  ///< exactly ValidatorOptions::source_files of them
  std::vector<ValidatorEntry> entries;  ///< in SchemaSet::roots order
};

/// Declarations (header) and definitions (source) of `validate_<Name>`
/// for every root of `set`:
///
///   bool validate_Pet(const nlohmann::json& instance,
///                     const keel::schema::Options& options = {});
///   bool validate_Pet(const nlohmann::json& instance, keel::schema::Errors& errors,
///                     const keel::schema::Options& options = {});
///
/// The first is the fast yes/no path; the second runs it and, only when it
/// fails, re-validates collecting every error (appended to `errors`).
std::optional<ValidatorCode> emit_validators(const ir::SchemaSet& set,
                                             const ValidatorOptions& options, Diagnostics& diags);

}  // namespace keel::gen::emit
