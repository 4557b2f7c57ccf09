// bare-pistache-server: the benchmark's baseline. A plain Pistache 0.0.5
// Http::Endpoint + Http::Handler (no Rest::Router, no libkeel server) doing
// the same domain work as keel-server for two routes:
//
//   GET  /v1/datasets/{id}     -> ReferenceApp::datasets().get("dev", id) -> 200 JSON
//                                 (404 JSON envelope when missing)
//   POST /v1/datasets/upload   -> datasets().upload_json("dev", "", body) -> 201 JSON
//                                 (JSON rows only; 415 JSON envelope otherwise)
//   anything else              -> 404 JSON
//
// Same storage (SQLite in --data-dir via ReferenceApp), same domain code,
// same number of Pistache event loops as keel-server (--io-threads, default
// 2, keel-server's default). What it leaves out is Keel's own stack: the
// generated matcher and parameter decoding, libkeel's head parsing,
// correlation ids, the worker-pool hand-off, the envelope and the access
// log. Storage work runs inline on the Pistache event-loop thread, the
// simplest thing a bare handler does (keel-server hands it to its pool).
//
// The Pistache workarounds from PISTACHE_NOTES.md that change throughput or
// correctness under wrk are applied so the baseline is not artificially slow:
//  - keep-alive: Pistache adds `Connection: Close` when the request had no
//    Connection header (wrk sends none) while keeping the socket open, so
//    clients would reconnect every request; we drop that header unless the
//    client asked to close;
//  - SIGPIPE ignored;
//  - maxRequestSize set explicitly (1 MiB, keel-server's default) instead of
//    Pistache's 4 KiB;
//  - header/body/keep-alive timeouts set explicitly to keel-server's values.
//
// usage: bare-pistache-server --port N --data-dir DIR [--io-threads N]
// Prints `bare-pistache-server listening on http://127.0.0.1:PORT` and serves
// until SIGINT/SIGTERM.

#include "reference_app.h"

#include <keel/error.h>

#include <pistache/endpoint.h>
#include <pistache/http.h>

#include <nlohmann/json.hpp>

#include <chrono>
#include <csignal>
#include <cstdlib>
#include <exception>
#include <filesystem>
#include <iostream>
#include <memory>
#include <string>
#include <string_view>

namespace {

namespace P = Pistache;
namespace H = Pistache::Http;

constexpr std::string_view kDatasetPrefix = "/v1/datasets/";
constexpr std::string_view kUploadPath = "/v1/datasets/upload";

class BareHandler : public H::Handler {
public:
  HTTP_PROTOTYPE(BareHandler)

  explicit BareHandler(keel::reference::ReferenceApp* app) : app_(app) {}

  void onRequest(const H::Request& request, H::ResponseWriter response) override {
    // Keep-alive fix: keep Pistache's Connection header only when the
    // client sent one (it is copied from the request then).
    if (!request.headers().has<H::Header::Connection>())
      response.headers().remove<H::Header::Connection>();

    const std::string& path = request.resource();
    int status = 200;
    std::string body;
    try {
      if (request.method() == H::Method::Post && path == kUploadPath) {
        // The benchmark posts JSON rows; a bare handler checks the type by hand.
        auto ct = request.headers().tryGet<H::Header::ContentType>();
        if (!ct || ct->mime().top() != H::Mime::Type::Application ||
            ct->mime().sub() != H::Mime::Subtype::Json)
          throw keel::unsupported_media_type(ct ? ct->mime().toString() : "", "application/json");
        auto dataset = app_->datasets().upload_json(keel::reference::ReferenceApp::kDevTenant, "",
                                                    request.body());
        // keel-server's handler sets Location too.
        response.headers().add<H::Header::Location>("/v1/datasets/" + dataset.id);
        body = nlohmann::json(dataset).dump();
        status = 201;
      } else if (request.method() == H::Method::Get && path.size() > kDatasetPrefix.size() &&
                 std::string_view(path).starts_with(kDatasetPrefix) &&
                 path.find('/', kDatasetPrefix.size()) == std::string::npos) {
        std::string_view id = std::string_view(path).substr(kDatasetPrefix.size());
        body = nlohmann::json(app_->datasets().get(keel::reference::ReferenceApp::kDevTenant, id)).dump();
      } else {
        throw keel::not_found("no such route");
      }
    } catch (const keel::ApiError& error) {
      status = error.status;
      body = keel::envelope_json(error, "-");
    } catch (const std::exception& error) {
      status = 500;
      body = keel::envelope_json(keel::internal_error(), "-");
    }
    response.send(static_cast<H::Code>(status), body, MIME(Application, Json));
  }

private:
  keel::reference::ReferenceApp* app_;
};

[[noreturn]] void usage() {
  std::cerr << "usage: bare-pistache-server --port N --data-dir DIR [--io-threads N]\n";
  std::exit(2);
}

}  // namespace

int main(int argc, char** argv) {
  int port = 8081;
  int io_threads = 2;
  std::filesystem::path data_dir;
  for (int i = 1; i < argc; ++i) {
    std::string_view arg = argv[i];
    if (i + 1 >= argc) usage();
    if (arg == "--port") port = std::atoi(argv[++i]);
    else if (arg == "--data-dir") data_dir = argv[++i];
    else if (arg == "--io-threads") io_threads = std::atoi(argv[++i]);
    else usage();
  }
  if (data_dir.empty() || port < 0 || port > 65535 || io_threads < 1) usage();

  std::signal(SIGPIPE, SIG_IGN);
  // Block the stop signals before Pistache starts its threads, so that only
  // sigwait below sees them.
  sigset_t stop;
  sigemptyset(&stop);
  sigaddset(&stop, SIGINT);
  sigaddset(&stop, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &stop, nullptr);

  try {
    std::filesystem::create_directories(data_dir);
    keel::reference::ReferenceAppOptions options;
    options.data_dir = data_dir;
    keel::reference::ReferenceApp app(options);

    H::Endpoint endpoint(P::Address("127.0.0.1", P::Port(static_cast<std::uint16_t>(port))));
    endpoint.init(H::Endpoint::options()
                      .threads(io_threads)
                      .flags(P::Tcp::Options::NoDelay | P::Tcp::Options::ReuseAddr)
                      .maxRequestSize(1024 * 1024)
                      .headerTimeout(std::chrono::seconds(10))
                      .bodyTimeout(std::chrono::seconds(30))
                      .keepaliveTimeout(std::chrono::seconds(60)));
    endpoint.setHandler(std::make_shared<BareHandler>(&app));
    endpoint.serveThreaded();
    std::cout << "bare-pistache-server listening on http://127.0.0.1:" << endpoint.getPort()
              << std::endl;

    int signal_number = 0;
    sigwait(&stop, &signal_number);
    endpoint.shutdown();
    app.shutdown();
  } catch (const std::exception& error) {
    std::cerr << "bare-pistache-server: " << error.what() << "\n";
    return 1;
  }
  return 0;
}
