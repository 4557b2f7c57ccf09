#include "diagnostic.h"

namespace keel::gen {

std::string format(const Diagnostic& d) {
  std::string out = d.location.file;
  out += ':' + std::to_string(d.location.line) + ':' + std::to_string(d.location.column) + ": ";
  out += d.severity == Severity::error ? "error[" : "warning[";
  out += d.id + "]: " + d.message;
  if (!d.pointer.empty()) out += " (at " + d.pointer + ")";
  return out;
}

void Diagnostics::error(std::string id, std::string message, Location where, std::string pointer) {
  items_.push_back({Severity::error, std::move(id), std::move(message), std::move(where),
                    std::move(pointer)});
}

void Diagnostics::warning(std::string id, std::string message, Location where,
                          std::string pointer) {
  items_.push_back({Severity::warning, std::move(id), std::move(message), std::move(where),
                    std::move(pointer)});
}

std::size_t Diagnostics::error_count() const {
  std::size_t n = 0;
  for (const auto& d : items_)
    if (d.severity == Severity::error) ++n;
  return n;
}

bool Diagnostics::has_errors() const {
  for (const auto& d : items_)
    if (d.severity == Severity::error) return true;
  return false;
}

}  // namespace keel::gen
