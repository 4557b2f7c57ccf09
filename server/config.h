#pragma once

#include <keel/server.h>

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace keel::reference {

/// Everything `keel-server serve` can be told. Sources, lowest precedence
/// first: defaults, a YAML file (--config), KEEL_* environment variables,
/// command-line flags.
struct ServeConfig {
  ServerConfig server;
  std::filesystem::path data_dir = "./data";
  int job_workers = 2;
  bool access_log = true;
  /// `production` turns response validation off unless validate_responses says otherwise.
  std::string environment = "development";
  std::optional<bool> validate_responses;
};

/// Parses `args` (after `serve`). Throws std::invalid_argument with a
/// message fit for the user on a bad flag, value, variable or file.
ServeConfig load_serve_config(const std::vector<std::string>& args);

/// The flags, for --help.
const char* serve_usage();

}  // namespace keel::reference
