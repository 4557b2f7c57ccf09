// Validate-only throughput of keel's generated validators on every case of
// bench/validation/cases, measured the way run-js.mjs measures ajv and
// hyperjump (see ../README.md, "Contract for the C++ runner"). Instances are
// parsed before any timing; only the validator calls are timed.
//
//   keel_validation_bench [--json out.json] [--seconds 1] [--reps 3] [--warmup 2]
//                         [--cases a,b] [--date YYYY-MM-DD] [--cases-dir DIR]
//                         [--modes fast,errors] [--sets valid,invalid]
//
// --modes and --sets narrow the measurements, e.g. to profile one of them.
// --modes fast,errors,messages adds `messages`: errors mode, then every
// error's instance pointer and message are read (written on demand), as
// keel::schema::append_field_errors does for the error envelope.
// Every result is also checked against the expected validity (valid.json is
// valid, invalid.json invalid; in errors mode an invalid result must carry
// errors); mismatches are listed, not fatal.
#include "registry.h"

#include <keel/validation.h>
#include <keel/version.h>

#include <nlohmann/json.hpp>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <set>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include <sys/resource.h>

namespace {

using Clock = std::chrono::steady_clock;
using nlohmann::json;

struct Settings {
  std::string json_out;
  double seconds = 1;
  int reps = 3;
  double warmup = 2;
  std::set<std::string> only;
  std::set<std::string> modes{"fast", "errors"};
  std::set<std::string> sets{"valid", "invalid"};
  std::string date;
  std::string cases_dir = KEEL_BENCH_CASES_DIR;
};

std::string today() {
  std::time_t now = std::time(nullptr);
  char buf[16];
  std::strftime(buf, sizeof buf, "%Y-%m-%d", std::gmtime(&now));
  return buf;
}

[[noreturn]] void usage(const std::string& why) {
  std::cerr << why << "; see the header of bench/validation/cpp/runner.cpp\n";
  std::exit(2);
}

Settings parse_args(int argc, char** argv) {
  Settings s;
  s.date = today();
  for (int i = 1; i < argc; i += 2) {
    std::string arg = argv[i];
    if (i + 1 >= argc) usage("missing value for " + arg);
    std::string value = argv[i + 1];
    if (arg == "--json") {
      s.json_out = value;
    } else if (arg == "--seconds") {
      s.seconds = std::stod(value);
    } else if (arg == "--reps") {
      s.reps = std::stoi(value);
    } else if (arg == "--warmup") {
      s.warmup = std::stod(value);
    } else if (arg == "--date") {
      s.date = value;
    } else if (arg == "--cases-dir") {
      s.cases_dir = value;
    } else if (arg == "--cases" || arg == "--modes" || arg == "--sets") {
      auto& names = arg == "--cases" ? s.only : arg == "--modes" ? s.modes : s.sets;
      names.clear();
      std::stringstream in(value);
      for (std::string name; std::getline(in, name, ',');) names.insert(name);
    } else {
      usage("bad argument " + arg);
    }
  }
  if (s.seconds <= 0 || s.reps < 1 || s.warmup < 0) usage("bad --seconds, --reps or --warmup");
  return s;
}

json read_json(const std::filesystem::path& file) {
  std::ifstream in(file);
  if (!in) {
    std::cerr << "cannot read " << file << '\n';
    std::exit(1);
  }
  return json::parse(in);
}

// Written to at the end so no call can be optimised away (the validators
// live in other translation units anyway).
std::size_t sink = 0;

enum class Mode { fast, errors, messages };
const char* name(Mode m) {
  return m == Mode::fast ? "fast" : m == Mode::errors ? "errors" : "messages";
}

// One pass over the instances in the given mode. Errors mode builds a fresh
// error list per instance, as a server does per request, and consumes it.
void pass(const keel_bench::Case& c, Mode mode, const std::vector<json>& instances) {
  if (mode == Mode::fast) {
    for (const auto& x : instances)
      if (c.fast(x)) ++sink;
  } else {
    for (const auto& x : instances) {
      keel::schema::Errors errors;
      if (c.errors(x, errors)) ++sink;
      sink += errors.size();
      if (mode == Mode::messages)
        for (const auto& e : errors) sink += e.instance_pointer().size() + e.message().size();
    }
  }
}

double cpu_seconds() {
  rusage u{};
  getrusage(RUSAGE_SELF, &u);
  return static_cast<double>(u.ru_utime.tv_sec + u.ru_stime.tv_sec) +
         static_cast<double>(u.ru_utime.tv_usec + u.ru_stime.tv_usec) / 1e6;
}

// CPU time this process got over wall time, summed over the measurements:
// on a shared machine it says how much of a core the runs actually had.
double cpu_used = 0, wall_used = 0;

// Whole passes until `seconds` have gone by; instances per second.
double measure(const keel_bench::Case& c, Mode mode, const std::vector<json>& instances, double seconds) {
  double cpu_start = cpu_seconds();
  auto start = Clock::now();
  auto deadline = start + std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(seconds));
  std::size_t n = 0;
  Clock::time_point now;
  do {
    pass(c, mode, instances);
    n += instances.size();
    now = Clock::now();
  } while (now < deadline);
  double wall = std::chrono::duration<double>(now - start).count();
  cpu_used += cpu_seconds() - cpu_start;
  wall_used += wall;
  return static_cast<double>(n) / wall;
}

double median(std::vector<double> xs) {
  std::sort(xs.begin(), xs.end());
  std::size_t m = xs.size() / 2;
  return xs.size() % 2 != 0 ? xs[m] : (xs[m - 1] + xs[m]) / 2;
}

std::string cpu_model() {
  std::ifstream in("/proc/cpuinfo");
  for (std::string line; std::getline(in, line);) {
    if (line.rfind("model name", 0) == 0) {
      auto colon = line.find(':');
      return colon == std::string::npos ? line : line.substr(line.find_first_not_of(' ', colon + 1));
    }
  }
  return "?";
}

json loadavg() {
  double l[3] = {0, 0, 0};
  if (getloadavg(l, 3) != 3) return nullptr;
  json out = json::array();
  for (double x : l) out.push_back(static_cast<double>(static_cast<long>(x * 100 + 0.5)) / 100);
  return out;
}

struct Row {
  Mode mode;
  const char* set;
  const std::vector<json>* instances;
  std::size_t wrong = 0;
  std::vector<double> runs;
};

std::string fmt(double ips) {
  if (ips < 0) return "-";  // not measured (--modes, --sets)
  std::string digits = std::to_string(static_cast<long long>(ips + 0.5));
  std::string out;
  for (std::size_t i = 0; i < digits.size(); ++i) {
    if (i != 0 && (digits.size() - i) % 3 == 0) out += ',';
    out += digits[i];
  }
  return out;
}

}  // namespace

int main(int argc, char** argv) {
  Settings settings = parse_args(argc, argv);
  json out = {{"runner", "cpp"}, {"date", settings.date}};
  out["machine"] = {{"cpus", std::thread::hardware_concurrency()},
                    {"model", cpu_model()},
                    {"compiler", std::string("g++ ") + __VERSION__ + ", " + KEEL_BENCH_FLAGS},
                    {"loadavg_at_start", loadavg()}};
  json results = json::array();
  json disagreements = json::array();
  json cpu_share = json::object();

  // Cases on disk without a generated validator (added after configuring)
  // would silently drop out of the table; say so.
  std::set<std::string> registered;
  for (const auto* c : keel_bench::cases()) registered.insert(c->name);
  for (const auto& entry : std::filesystem::directory_iterator(settings.cases_dir)) {
    std::string dir = entry.path().filename().string();
    if (entry.is_directory() && !registered.contains(dir))
      std::cerr << "warning: case " << dir << " has no validator; reconfigure the build\n";
  }

  std::printf("%-36s %-7s %12s %12s %12s   (instances/s, median)\n", "case", "set", "keel fast",
              "keel errors", "messages");
  for (const auto* c : keel_bench::cases()) {
    if (!settings.only.empty() && !settings.only.contains(c->name)) continue;
    std::filesystem::path dir = std::filesystem::path(settings.cases_dir) / c->name;
    // Parsing happens here, before any timing.
    std::vector<json> valid = read_json(dir / "valid.json").get<std::vector<json>>();
    std::vector<json> invalid = read_json(dir / "invalid.json").get<std::vector<json>>();

    std::vector<Row> rows;
    for (Mode mode : {Mode::fast, Mode::errors, Mode::messages}) {
      if (!settings.modes.contains(name(mode))) continue;
      if (settings.sets.contains("valid")) rows.push_back({mode, "valid", &valid, 0, {}});
      if (settings.sets.contains("invalid")) rows.push_back({mode, "invalid", &invalid, 0, {}});
    }

    // Correctness first, untimed.
    for (auto& r : rows) {
      bool expected = std::string_view(r.set) == "valid";
      for (std::size_t i = 0; i < r.instances->size(); ++i) {
        const json& x = (*r.instances)[i];
        keel::schema::Errors errors;
        bool got = r.mode == Mode::fast ? c->fast(x) : c->errors(x, errors);
        bool silent = r.mode != Mode::fast && !got && errors.size() == 0;
        if (got == expected && !silent) continue;
        ++r.wrong;
        json d = {{"case", c->name}, {"validator", "keel"}, {"mode", name(r.mode)}, {"set", r.set},
                  {"index", i},      {"expected", expected}, {"got", got}};
        if (silent) d["problem"] = "invalid without errors";
        // What keel objected to, for invalid-where-valid-expected.
        if (!got && expected) {
          keel::schema::Errors why;
          c->errors(x, why);
          json detail = json::array();
          for (std::size_t k = 0; k < why.items.size() && k < 3; ++k)
            detail.push_back(why.items[k].instance_pointer() + " " + std::string(why.items[k].keyword_location) + ": " +
                             why.items[k].message());
          d["detail"] = detail;
        }
        disagreements.push_back(d);
      }
    }

    // Warm-up per (mode, set), then repetitions interleaved across them so a
    // shared machine's drift hits all alike (as run-js.mjs does).
    for (auto& r : rows) measure(*c, r.mode, *r.instances, settings.warmup);
    for (int rep = 0; rep < settings.reps; ++rep)
      for (auto& r : rows) r.runs.push_back(measure(*c, r.mode, *r.instances, settings.seconds));

    double share = wall_used > 0 ? cpu_used / wall_used : 0.0;
    cpu_share[c->name] = static_cast<double>(static_cast<long>(share * 100 + 0.5)) / 100;
    cpu_used = wall_used = 0;
    double shown[2][3] = {{-1, -1, -1}, {-1, -1, -1}};
    for (const auto& r : rows) {
      double ips = median(r.runs);
      json runs = json::array();
      for (double x : r.runs) runs.push_back(static_cast<long long>(x + 0.5));
      results.push_back({{"case", c->name},
                         {"validator", "keel"},
                         {"mode", name(r.mode)},
                         {"set", r.set},
                         {"instances", r.instances->size()},
                         {"instances_per_s", static_cast<long long>(ips + 0.5)},
                         {"runs", runs},
                         {"disagreements", r.wrong}});
      shown[std::string_view(r.set) == "valid" ? 0 : 1][static_cast<int>(r.mode)] = ips;
    }
    std::printf("%-36s %-7s %12s %12s %12s\n", c->name, "valid", fmt(shown[0][0]).c_str(),
                fmt(shown[0][1]).c_str(), fmt(shown[0][2]).c_str());
    std::printf("%-36s %-7s %12s %12s %12s   cpu share %.2f\n", "", "invalid", fmt(shown[1][0]).c_str(),
                fmt(shown[1][1]).c_str(), fmt(shown[1][2]).c_str(), share);
    std::fflush(stdout);
  }

  out["machine"]["loadavg_at_end"] = loadavg();
  out["versions"] = {{"keel runtime", KEEL_RUNTIME_VERSION},
                     {"nlohmann_json", std::to_string(NLOHMANN_JSON_VERSION_MAJOR) + "." +
                                           std::to_string(NLOHMANN_JSON_VERSION_MINOR) + "." +
                                           std::to_string(NLOHMANN_JSON_VERSION_PATCH)}};
  out["settings"] = {{"seconds", settings.seconds},
                     {"reps", settings.reps},
                     {"warmup_seconds", settings.warmup},
                     {"statistic", "median"},
                     {"format_assertion", true}};
  json functions = json::object();
  for (const auto* c : keel_bench::cases()) functions[c->name] = c->function;
  out["functions"] = functions;
  out["cpu_share"] = cpu_share;
  out["results"] = results;
  out["disagreements"] = disagreements;
  out["notes"] =
      "keel-gen schema --format-assertion (ajv-formats and hyperjump assert formats in run-js.mjs). "
      "fast = validate_X(json); errors = validate_X(json, Errors&), one collecting walk (no fast pass "
      "first), so on valid instances it is the collecting walk with nothing to record; messages = errors, "
      "then every error's instance_pointer() and message() read. A fresh Errors per instance; its size "
      "goes to a sink. Default Options (max_errors 100). cpu_share: CPU time "
      "this process got over wall time during a case's measurements (warm-up included); under 1 means "
      "other load took part of the core.";

  std::cout << '\n' << disagreements.size() << " disagreement(s) with the expected validity\n";
  for (const auto& d : disagreements) {
    std::cout << "  " << d["case"].get<std::string>() << " keel/" << d["mode"].get<std::string>() << ' '
              << d["set"].get<std::string>() << " #" << d["index"].get<std::size_t>();
    if (d.contains("problem")) std::cout << ", " << d["problem"].get<std::string>();
    if (d.contains("detail"))
      for (const auto& line : d["detail"]) std::cout << "; " << line.get<std::string>();
    std::cout << '\n';
  }
  std::cout << "sink " << sink << '\n';
  if (!settings.json_out.empty()) {
    std::ofstream file(settings.json_out);
    file << out.dump(1) << '\n';
    if (!file) {
      std::cerr << "cannot write " << settings.json_out << '\n';
      return 1;
    }
  }
  return 0;
}
