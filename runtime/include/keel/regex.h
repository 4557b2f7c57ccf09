#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

namespace keel::schema {

/// Outcome of one search. `limit_exceeded` means the engine gave up before it
/// could decide (backtracking, memory or JIT-stack limit, or a resource error):
/// callers must not treat it as a match.
enum class RegexResult { match, no_match, limit_exceeded };

/// Limits applied to every Regex::search. They bound what a catastrophic
/// pattern such as `^(a+)+$` costs on a hostile subject to a few milliseconds
/// (measured: 1.5-5 ms), while linear patterns still handle subjects of
/// several hundred kilobytes.
struct RegexLimits {
  /// PCRE2 match limit (backtracking steps of the JIT or interpreter).
  static constexpr std::uint32_t match_limit = 1'000'000;
  /// Interpreter backtracking memory, in KiB.
  static constexpr std::uint32_t heap_limit_kib = 16 * 1024;
  /// Largest JIT stack a thread may grow, in bytes (address space; pages are
  /// committed only when used). A repeated group needs some per iteration.
  static constexpr std::size_t jit_stack_max = 8 * 1024 * 1024;
  /// Work shared by all emulated variable-length lookbehinds of one search,
  /// in units of one pattern item tried or one subject byte scanned: a base
  /// plus an allowance per subject byte, so that linear work on long
  /// subjects fits.
  static constexpr std::uint64_t lookbehind_budget = 100'000;
  static constexpr std::uint64_t lookbehind_budget_per_byte = 4;
  /// Backtracking memory of one emulated lookbehind match, in KiB.
  static constexpr std::uint32_t lookbehind_heap_limit_kib = 2 * 1024;
};

/// A JSON Schema `pattern`: an ECMA-262 regular expression in Unicode mode
/// (the `u` flag), translated to an equivalent PCRE2 pattern and compiled once.
///
/// Semantics follow ECMA-262 (2025 edition, without the `v` flag): `\d`, `\w`
/// and `\b` are ASCII-only, `\s` is Unicode white space and line terminators,
/// `.` excludes line terminators (\n, \r, U+2028, U+2029), `$` matches only at
/// the very end, `\p{...}` accepts exactly the ECMA-262 property names, named
/// groups may repeat across alternatives, and `(?ims-ims:...)` modifiers are
/// supported. Unicode data is PCRE2's (Unicode 14).
///
/// Known differences, all in rarely used corners:
/// - A variable-length lookbehind is run as a separate backwards match, so
///   groups captured inside it are unset after it, and back-references inside
///   it to groups outside it match the empty string.
/// - A group that captured in an earlier iteration of a quantifier but not in
///   the last one keeps its capture for back-references (ECMA-262 clears it).
/// - Quantifier bounds above 65535 are valid syntax but do not compile.
///
/// Copies share the compiled code; search() may run concurrently on one Regex
/// from many threads.
class Regex {
 public:
  /// Compiles a JSON Schema `pattern`. nullopt, with a message in `*error`
  /// when given, if it is not valid ECMA-262 or the engine cannot run it.
  static std::optional<Regex> compile(std::string_view pattern, std::string* error = nullptr);

  /// For generated code, whose generator has already compiled the pattern
  /// once: throws std::logic_error if it does not compile.
  static Regex must_compile(std::string_view pattern);

  /// Unanchored search, as `pattern` and `patternProperties` require. A
  /// subject that is not valid UTF-8 never matches (no_match): JSON text
  /// parsed by nlohmann::json is always valid, so only raw input reaches that.
  RegexResult search(std::string_view utf8_subject) const;

  /// The ECMA-262 source.
  const std::string& source() const;
  /// The PCRE2 pattern the source became (for diagnostics and tests).
  const std::string& translation() const;
  /// Whether the PCRE2 JIT compiled the main pattern.
  bool jit_compiled() const;
  /// Whether search() runs a one-pass matcher instead of PCRE2: for patterns
  /// anchored at both ends and made only of characters, classes and `.`, each
  /// optionally quantified, where taking as many characters as possible at
  /// every step is the only way to match (e.g. `^[a-z][A-Za-z0-9]{0,99}$`).
  bool runs_without_pcre2() const;

 private:
  struct Impl;
  explicit Regex(std::shared_ptr<const Impl> impl);
  std::shared_ptr<const Impl> impl_;
};

/// True when `pattern` is valid ECMA-262 in Unicode mode (format `regex`, and
/// keel-gen's check of `pattern`). A pure syntax check in linear time that
/// never compiles, so it is safe on hostile input; nesting deeper than 256
/// groups is rejected. Prefer Regex::compile where the pattern will run: it
/// also rejects the few valid patterns the engine cannot execute.
bool is_valid_ecma_regex(std::string_view pattern, std::string* error = nullptr);

}  // namespace keel::schema
