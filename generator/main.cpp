// keel-gen: the command line. Exit codes: 0 ok, 1 spec errors (or an
// internal error), 2 usage error.

#include "emit/pipeline.h"
#include "emit/write.h"
#include "spec/diagnostic.h"

#include <exception>
#include <iostream>
#include <new>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace {

constexpr std::string_view version = "0.1.0";

constexpr int exit_ok = 0;
constexpr int exit_spec_errors = 1;
constexpr int exit_usage = 2;

constexpr std::string_view synopsis = "usage: keel-gen check SPEC\n"
                                      "       keel-gen generate SPEC -o DIR [--namespace NS]\n"
                                      "       keel-gen --help | --version\n";

constexpr std::string_view details =
    "\n"
    "  check      load SPEC (OpenAPI 3.0/3.1, YAML or JSON), resolve its $refs and\n"
    "             check it; diagnostics go to stderr as\n"
    "             file:line:col: error[ID]: message (at /json/pointer)\n"
    "  generate   check SPEC, then write the generated C++ server code into DIR\n"
    "\n"
    "exit status: 0 ok, 1 errors in the spec, 2 usage error\n";

struct Options {
  std::string command;
  std::string spec;
  std::string output;
  std::string cpp_namespace;
};

int usage_error(std::string_view message) {
  std::cerr << "keel-gen: " << message << "\n" << synopsis << "Try 'keel-gen --help'.\n";
  return exit_usage;
}

/// Parses argv; on a usage problem prints it and returns the exit code.
std::optional<int> parse_args(const std::vector<std::string>& args, Options& options) {
  if (args.empty()) return usage_error("missing command");
  options.command = args[0];
  if (options.command != "check" && options.command != "generate")
    return usage_error("unknown command '" + options.command + "'");
  for (std::size_t i = 1; i < args.size(); ++i) {
    const std::string& arg = args[i];
    bool has_value = i + 1 < args.size();
    if (options.command == "generate" && (arg == "-o" || arg == "--output")) {
      if (!has_value) return usage_error("'" + arg + "' needs a directory");
      options.output = args[++i];
    } else if (options.command == "generate" && arg == "--namespace") {
      if (!has_value) return usage_error("'--namespace' needs a name");
      options.cpp_namespace = args[++i];
    } else if (arg.size() > 1 && arg[0] == '-') {
      return usage_error("unknown option '" + arg + "' for '" + options.command + "'");
    } else if (options.spec.empty()) {
      options.spec = arg;
    } else {
      return usage_error("more than one SPEC given");
    }
  }
  if (options.spec.empty()) return usage_error("missing SPEC");
  if (options.command == "generate" && options.output.empty())
    return usage_error("'generate' needs -o DIR");
  return std::nullopt;
}

void print(const keel::gen::Diagnostics& diags) {
  for (const auto& d : diags.all()) std::cerr << keel::gen::format(d) << '\n';
  std::cerr.flush();
}


int run(const std::vector<std::string>& args) {
  if (!args.empty() && (args[0] == "--help" || args[0] == "-h" || args[0] == "help")) {
    std::cout << synopsis << details;
    return exit_ok;
  }
  if (!args.empty() && args[0] == "--version") {
    std::cout << "keel-gen " << version << '\n';
    return exit_ok;
  }
  Options options;
  if (auto code = parse_args(args, options)) return *code;
  keel::gen::Diagnostics diags;
  keel::gen::emit::Options emit_options;
  if (!options.cpp_namespace.empty()) emit_options.cpp_namespace = options.cpp_namespace;
  auto files = keel::gen::emit::generate_from_spec(options.spec, emit_options, diags);
  if (files && options.command == "generate") {
    std::string error;
    if (!keel::gen::emit::write_files(options.output, *files, error))
      diags.error("E-GEN-WRITE", error, {options.output, 1, 1}, "");
  }
  print(diags);
  return diags.has_errors() ? exit_spec_errors : exit_ok;
}

int internal_error(std::string_view what) {
  keel::gen::Diagnostic d;
  d.id = "E-INTERNAL";
  d.message = "internal error: " + std::string(what);
  d.location = {"keel-gen", 1, 1};
  std::cerr << keel::gen::format(d) << '\n';
  return exit_spec_errors;
}

}  // namespace

int main(int argc, char** argv) {
  // Nothing may escape: a crash would hide the diagnostics already found.
  try {
    std::vector<std::string> args(argv + 1, argv + argc);
    return run(args);
  } catch (const std::bad_alloc&) {
    return internal_error("out of memory");
  } catch (const std::exception& e) {
    return internal_error(e.what());
  } catch (...) {
    return internal_error("unknown exception");
  }
}
