#pragma once

#include <cstddef>
#include <string>
#include <utility>
#include <vector>

namespace keel::gen {

/// A position in a source document; line and column are 1-based.
struct Location {
  std::string file;  ///< path as given on the command line or reached by $ref
  int line = 0;
  int column = 0;
};

enum class Severity { error, warning };

/// Renders as `file:line:col: error[ID]: message (at /pointer)`.
struct Diagnostic {
  Severity severity = Severity::error;
  std::string id;  ///< stable, e.g. E-REF-MISSING; listed in docs/diagnostics.md
  std::string message;
  Location location;
  std::string pointer;  ///< JSON pointer within location.file
};

std::string format(const Diagnostic& d);

/// Collects diagnostics across passes; order is the order they were found.
class Diagnostics {
public:
  void error(std::string id, std::string message, Location where, std::string pointer);
  void warning(std::string id, std::string message, Location where, std::string pointer);
  /// Appends an already-built diagnostic (e.g. one collected by a nested pass).
  void add(Diagnostic d) { items_.push_back(std::move(d)); }
  std::size_t error_count() const;
  bool has_errors() const;
  const std::vector<Diagnostic>& all() const { return items_; }

private:
  std::vector<Diagnostic> items_;
};

}  // namespace keel::gen
