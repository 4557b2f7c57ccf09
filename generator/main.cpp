// keel-gen: the command line. Exit codes: 0 ok, 1 spec errors (or an
// internal error), 2 usage error.

#include "emit/parts.h"
#include "emit/pipeline.h"
#include "emit/validator_emitter.h"
#include "emit/validator_emitter_checks.h"
#include "emit/write.h"
#include "ir/naming.h"
#include "ir/schema_build.h"
#include "spec/diagnostic.h"
#include "spec/workspace.h"

#include <exception>
#include <filesystem>
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

constexpr std::string_view synopsis =
    "usage: keel-gen check SPEC\n"
    "       keel-gen generate SPEC -o DIR [--namespace NS] [--parts N]\n"
    "       keel-gen schema FILE -o DIR [--namespace NS] [--name NAME] [--map-uri PREFIX=DIR]...\n"
    "                [--format-assertion] [--split N]\n"
    "       keel-gen --help | --version\n";

constexpr std::string_view details =
    "\n"
    "  check      load SPEC (OpenAPI 3.0/3.1, YAML or JSON), resolve its $refs and\n"
    "             check it; diagnostics go to stderr as\n"
    "             file:line:col: error[ID]: message (at /json/pointer)\n"
    "  generate   check SPEC, then write the generated C++ server code into DIR;\n"
    "             --parts N writes validators, models and operations as <stem>_0.cpp ...\n"
    "             <stem>_N-1.cpp each, to compile in parallel (default 1: <stem>.cpp)\n"
    "  schema     write C++ validators for the JSON Schema (2020-12) document FILE into\n"
    "             DIR as <name>_validator.h/.cpp, with validate_<Name>() in namespace NS\n"
    "             (default: schemas); NAME defaults to FILE's stem. When FILE is an\n"
    "             OpenAPI document, every components/schemas entry gets its own\n"
    "             validate_<Component>(). --map-uri serves\n"
    "             $refs to URIs starting with PREFIX from the local folder DIR (repeatable;\n"
    "             nothing is ever fetched). --format-assertion makes `format` assert.\n"
    "             --split N writes <name>_validator_0.cpp ... _N-1.cpp, to compile in parallel.\n"
    "\n"
    "exit status: 0 ok, 1 errors in the spec, 2 usage error\n";

struct Options {
  std::string command;
  std::string spec;
  std::string output;
  std::string cpp_namespace;
  std::size_t parts = 1;
};

int usage_error(std::string_view message) {
  std::cerr << "keel-gen: " << message << "\n" << synopsis << "Try 'keel-gen --help'.\n";
  return exit_usage;
}

/// A number of source files, 1 to 999 (`--split`, `--parts`).
bool parse_count(const std::string& value, std::size_t& count) {
  if (value.empty() || value.size() > 3 || value.find_first_not_of("0123456789") != std::string::npos ||
      std::stoul(value) == 0)
    return false;
  count = std::stoul(value);
  return true;
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
    } else if (options.command == "generate" && arg == "--parts") {
      if (!has_value || !parse_count(args[++i], options.parts))
        return usage_error("'--parts' needs a number of source files from 1 to 999");
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

struct SchemaOptions {
  std::string file;
  std::string output;
  std::string cpp_namespace = "schemas";
  std::string name;
  bool format_assertion = false;
  std::size_t source_files = 1;
  std::vector<std::pair<std::string, std::string>> uri_map;
};

std::optional<int> parse_schema_args(const std::vector<std::string>& args, SchemaOptions& options) {
  for (std::size_t i = 1; i < args.size(); ++i) {
    const std::string& arg = args[i];
    bool has_value = i + 1 < args.size();
    if (arg == "-o" || arg == "--output") {
      if (!has_value) return usage_error("'" + arg + "' needs a directory");
      options.output = args[++i];
    } else if (arg == "--namespace") {
      if (!has_value) return usage_error("'--namespace' needs a name");
      options.cpp_namespace = args[++i];
    } else if (arg == "--name") {
      if (!has_value) return usage_error("'--name' needs a name");
      options.name = args[++i];
    } else if (arg == "--map-uri") {
      if (!has_value) return usage_error("'--map-uri' needs PREFIX=DIR");
      const std::string& value = args[++i];
      auto eq = value.find('=');
      if (eq == std::string::npos || eq == 0 || eq + 1 == value.size())
        return usage_error("'--map-uri' needs PREFIX=DIR, got '" + value + "'");
      options.uri_map.emplace_back(value.substr(0, eq), value.substr(eq + 1));
    } else if (arg == "--split") {
      if (!has_value || !parse_count(args[++i], options.source_files))
        return usage_error("'--split' needs a number of source files from 1 to 999");
    } else if (arg == "--format-assertion") {
      options.format_assertion = true;
    } else if (arg.size() > 1 && arg[0] == '-') {
      return usage_error("unknown option '" + arg + "' for 'schema'");
    } else if (options.file.empty()) {
      options.file = arg;
    } else {
      return usage_error("more than one FILE given");
    }
  }
  if (options.file.empty()) return usage_error("missing FILE");
  if (options.output.empty()) return usage_error("'schema' needs -o DIR");
  if (options.name.empty()) options.name = std::filesystem::path(options.file).stem().string();
  return std::nullopt;
}

/// `keel-gen schema`: validators for one standalone JSON Schema document.
void run_schema(const SchemaOptions& options, keel::gen::Diagnostics& diags) {
  namespace gen = keel::gen;
  gen::spec::Workspace ws;
  gen::ir::SchemaBuildOptions build;
  build.format_assertion = options.format_assertion;
  build.uri_map = options.uri_map;
  gen::emit::use_runtime_checks(build);
  gen::ir::SchemaSetBuilder builder(ws, diags, build);
  if (!ws.load_root(options.file, diags)) return;
  if (ws.root().get("openapi") != nullptr) {
    // An OpenAPI document: one validator per components/schemas entry.
    if (!builder.add_openapi_components()) return;
  } else if (!builder.add_schema_file(options.file, options.name)) {
    return;
  }
  auto set = builder.finish();
  if (!set) return;
  std::string stem = gen::ir::snake_case(options.name) + "_validator";
  gen::emit::ValidatorOptions emit_options;
  emit_options.cpp_namespace = options.cpp_namespace;
  emit_options.header_name = stem + ".h";
  emit_options.source_files = options.source_files;
  auto code = gen::emit::emit_validators(*set, emit_options, diags);
  if (!code) return;
  std::string error;
  std::vector<gen::emit::File> files{{stem + ".h", code->header}};
  for (std::size_t k = 0; k < code->sources.size(); ++k)
    files.push_back({gen::emit::part_file_name(stem, k, code->sources.size()), code->sources[k]});
  if (!gen::emit::write_files(options.output, files, error, {stem}))
    diags.error("E-GEN-WRITE", error, {options.output, 1, 1}, "");
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
  if (!args.empty() && args[0] == "schema") {
    SchemaOptions schema_options;
    if (auto code = parse_schema_args(args, schema_options)) return *code;
    keel::gen::Diagnostics diags;
    run_schema(schema_options, diags);
    print(diags);
    return diags.has_errors() ? exit_spec_errors : exit_ok;
  }
  Options options;
  if (auto code = parse_args(args, options)) return *code;
  keel::gen::Diagnostics diags;
  keel::gen::emit::Options emit_options;
  if (!options.cpp_namespace.empty()) emit_options.cpp_namespace = options.cpp_namespace;
  emit_options.parts = options.parts;
  auto files = keel::gen::emit::generate_from_spec(options.spec, emit_options, diags);
  if (files && options.command == "generate") {
    std::string error;
    if (!keel::gen::emit::write_files(options.output, *files, error, keel::gen::emit::part_stems()))
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
