#pragma once

#include "ir/ir.h"
#include "spec/diagnostic.h"

#include <string>
#include <vector>

namespace keel::gen::emit {

struct Options {
  std::string cpp_namespace = "api";  ///< must be a valid C++ (nested) namespace name
  /// Translation units for each of validators.cpp, models.cpp and
  /// operations.cpp: with more than one, <stem>_0.cpp ... <stem>_<parts-1>.cpp
  /// (emit/parts.h), so a big spec compiles in parallel.
  std::size_t parts = 1;
};

struct File {
  std::string name;  ///< relative to the output directory
  std::string content;
};

/// Every generated file for `api`, in a fixed order; deterministic bytes.
/// Errors (ambiguous routes, bad names) go to `diags` and yield no files.
std::vector<File> generate(const ir::Api& api, const Options& options, Diagnostics& diags);

/// The file names generate() produces with `parts` (build systems need them up front).
std::vector<std::string> generated_file_names(std::size_t parts = 1);

/// The stems of the files generate() writes in parts: `<stem>.cpp`, or
/// `<stem>_0.cpp` ... `<stem>_<parts-1>.cpp`.
const std::vector<std::string>& part_stems();

/// The template texts compiled into keel-gen (see cmake/EmbedTemplates.cmake).
std::string_view template_text(std::string_view name);

}  // namespace keel::gen::emit
