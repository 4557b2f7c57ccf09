#include "config.h"

#include <yaml-cpp/yaml.h>

#include <cctype>
#include <charconv>
#include <cstdlib>
#include <functional>
#include <map>
#include <stdexcept>

namespace keel::reference {
namespace {

// One table of settings drives the YAML keys, the KEEL_* variables and the
// --flags alike, so the three sources cannot drift apart.
struct Setting {
  const char* key;  ///< YAML key; flag is --key with '_' as '-'; variable KEEL_KEY
  const char* help;
  std::function<void(ServeConfig&, const std::string&)> apply;
};

long long to_integer(const std::string& key, const std::string& text, long long min, long long max) {
  long long v = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  if (text.empty() || ec != std::errc() || end != text.data() + text.size() || v < min || v > max)
    throw std::invalid_argument(key + ": expected an integer in " + std::to_string(min) + ".." +
                                std::to_string(max) + ", got '" + text + "'");
  return v;
}

bool to_bool(const std::string& key, const std::string& text) {
  if (text == "true" || text == "1" || text == "yes") return true;
  if (text == "false" || text == "0" || text == "no") return false;
  throw std::invalid_argument(key + ": expected true or false, got '" + text + "'");
}

const std::vector<Setting>& settings() {
  static const std::vector<Setting> table = {
      {"address", "IP address to listen on (default 127.0.0.1)",
       [](ServeConfig& c, const std::string& v) { c.server.address = v; }},
      {"port", "TCP port; 0 picks a free one and prints it (default 8080)",
       [](ServeConfig& c, const std::string& v) {
         c.server.port = static_cast<std::uint16_t>(to_integer("port", v, 0, 65535));
       }},
      {"data_dir", "where the SQLite database lives (default ./data)",
       [](ServeConfig& c, const std::string& v) { c.data_dir = v; }},
      {"io_threads", "HTTP event-loop threads (default 2)",
       [](ServeConfig& c, const std::string& v) {
         c.server.io_threads = static_cast<int>(to_integer("io_threads", v, 1, 256));
       }},
      {"worker_threads", "request worker threads (default 4)",
       [](ServeConfig& c, const std::string& v) {
         c.server.worker_threads = static_cast<int>(to_integer("worker_threads", v, 1, 1024));
       }},
      {"job_workers", "synthesis job threads (default 2)",
       [](ServeConfig& c, const std::string& v) {
         c.job_workers = static_cast<int>(to_integer("job_workers", v, 1, 256));
       }},
      {"max_request_bytes", "largest request, head and body (default 1048576)",
       [](ServeConfig& c, const std::string& v) {
         c.server.max_request_bytes =
             static_cast<std::size_t>(to_integer("max_request_bytes", v, 4096, 1LL << 32));
       }},
      {"header_timeout_ms", "time allowed for a request head (default 10000)",
       [](ServeConfig& c, const std::string& v) {
         c.server.header_timeout = std::chrono::milliseconds(to_integer("header_timeout_ms", v, 1, 3600000));
       }},
      {"body_timeout_ms", "time allowed for a request body (default 30000)",
       [](ServeConfig& c, const std::string& v) {
         c.server.body_timeout = std::chrono::milliseconds(to_integer("body_timeout_ms", v, 1, 3600000));
       }},
      {"access_log", "one JSON line per request on stdout (default true)",
       [](ServeConfig& c, const std::string& v) { c.access_log = to_bool("access_log", v); }},
      {"environment", "development or production; production turns validate_responses off "
                      "(default development)",
       [](ServeConfig& c, const std::string& v) {
         if (v != "development" && v != "production")
           throw std::invalid_argument("environment must be development or production, not '" + v + "'");
         c.environment = v;
       }},
      {"validate_responses", "check every response against the spec; a mismatch is a logged 500 "
                             "(default: true in development, false in production)",
       [](ServeConfig& c, const std::string& v) { c.validate_responses = to_bool("validate_responses", v); }},
  };
  return table;
}

const Setting* find_setting(const std::string& key) {
  for (const auto& s : settings())
    if (key == s.key) return &s;
  return nullptr;
}

std::string flag_to_key(std::string flag) {
  flag = flag.substr(2);
  for (auto& c : flag)
    if (c == '-') c = '_';
  return flag;
}

void apply_file(ServeConfig& config, const std::string& path) {
  YAML::Node root;
  try {
    root = YAML::LoadFile(path);
  } catch (const YAML::Exception& e) {
    throw std::invalid_argument(path + ": " + e.what());
  }
  if (root.IsNull()) return;
  if (!root.IsMap()) throw std::invalid_argument(path + ": expected a mapping of settings");
  for (const auto& item : root) {
    auto key = item.first.as<std::string>();
    const Setting* s = find_setting(key);
    if (!s) throw std::invalid_argument(path + ": unknown setting '" + key + "'");
    if (!item.second.IsScalar()) throw std::invalid_argument(path + ": " + key + " must be a single value");
    s->apply(config, item.second.as<std::string>());
  }
}

}  // namespace

ServeConfig load_serve_config(const std::vector<std::string>& args) {
  ServeConfig config;
  // Flags are read first but applied last: --config must be known up front.
  std::map<std::string, std::string> flags;
  std::string config_file;
  for (std::size_t i = 0; i < args.size(); ++i) {
    const std::string& arg = args[i];
    if (!arg.starts_with("--")) throw std::invalid_argument("unexpected argument '" + arg + "'");
    std::string key, value;
    if (auto eq = arg.find('='); eq != std::string::npos) {
      key = flag_to_key(arg.substr(0, eq));
      value = arg.substr(eq + 1);
    } else {
      key = flag_to_key(arg);
      if (i + 1 >= args.size()) throw std::invalid_argument(arg + " needs a value");
      value = args[++i];
    }
    if (key == "config") config_file = value;
    else if (!find_setting(key)) throw std::invalid_argument("unknown flag " + arg);
    else flags[key] = value;
  }
  if (!config_file.empty()) apply_file(config, config_file);
  for (const auto& s : settings()) {
    std::string var = "KEEL_";
    for (const char* p = s.key; *p; ++p) var += static_cast<char>(std::toupper(static_cast<unsigned char>(*p)));
    if (const char* v = std::getenv(var.c_str())) s.apply(config, v);
  }
  for (const auto& [key, value] : flags) find_setting(key)->apply(config, value);
  config.server.validate_responses = config.validate_responses.value_or(config.environment != "production");
  return config;
}

const char* serve_usage() {
  static const std::string text = [] {
    std::string out = "usage: keel-server serve [--config FILE] [--FLAG VALUE]...\n\nflags (also KEEL_<FLAG> variables and keys of the --config YAML file):\n";
    for (const auto& s : settings()) {
      std::string flag = std::string("--") + s.key;
      for (auto& c : flag)
        if (c == '_') c = '-';
      out += "  " + flag + std::string(flag.size() < 22 ? 22 - flag.size() : 1, ' ') + s.help + "\n";
    }
    return out;
  }();
  return text.c_str();
}

}  // namespace keel::reference
