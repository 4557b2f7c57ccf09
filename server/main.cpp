// keel-server: serves the reference API (spec/openapi.yaml) from a data
// directory. See REFERENCE_API.md, "Operating it".
#include "config.h"
#include "reference_app.h"
#include "reference_handlers.h"

#include <keel/server.h>

#include <exception>
#include <filesystem>
#include <iostream>
#include <string>
#include <vector>

namespace {

constexpr const char* kUsage =
    "usage: keel-server COMMAND [ARGS]\n"
    "\n"
    "commands:\n"
    "  serve [FLAGS]   serve the reference API (keel-server serve --help for flags)\n";

int serve(const std::vector<std::string>& args) {
  using namespace keel::reference;
  for (const auto& a : args) {
    if (a == "--help" || a == "-h") {
      std::cout << serve_usage();
      return 0;
    }
  }
  ServeConfig config = load_serve_config(args);
  std::filesystem::create_directories(config.data_dir);

  ReferenceAppOptions options;
  options.data_dir = config.data_dir;
  options.jobs.workers = static_cast<std::size_t>(config.job_workers);
  ReferenceApp app(options);
  ReferenceHandlers handlers(app);
  auto api = keel_reference::make_api(handlers);

  config.server.readiness = [&app] { return app.ready(); };
  config.server.access_log = config.access_log ? &std::cout : nullptr;
  keel::Server server(config.server, *api);
  server.start();
  // Scripts and tests read the port from this line (--port 0 picks one).
  std::cout << "keel-server listening on http://" << config.server.address << ":" << server.port()
            << std::endl;
  server.serve_forever();
  app.shutdown();
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  std::vector<std::string> args(argv + 1, argv + argc);
  if (args.empty() || args[0] == "--help" || args[0] == "-h") {
    std::cout << kUsage;
    return args.empty() ? 2 : 0;
  }
  const std::string command = args[0];
  args.erase(args.begin());
  try {
    if (command == "serve") return serve(args);
    std::cerr << "keel-server: unknown command '" << command << "'\n" << kUsage;
    return 2;
  } catch (const std::invalid_argument& e) {
    std::cerr << "keel-server " << command << ": " << e.what() << "\n";
    return 2;
  } catch (const std::exception& e) {
    std::cerr << "keel-server " << command << ": " << e.what() << "\n";
    return 1;
  }
}
