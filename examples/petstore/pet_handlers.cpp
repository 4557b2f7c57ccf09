// Business logic of the petstore example: everything HTTP-shaped (routing,
// parameter decoding, limits, the error envelope) is generated or in libkeel.
#include "api.h"

#include <keel/error.h>
#include <keel/server.h>

#include <nlohmann/json.hpp>

#include <iostream>
#include <map>
#include <mutex>
#include <string>

namespace {

keel::Response json(int status, const nlohmann::json& body) {
  keel::Response r;
  r.status = status;
  r.content_type = "application/json";
  r.body = body.dump();
  return r;
}

class PetHandlers final : public petstore::Handlers {
public:
  keel::Response list_pets(keel::Context&, const petstore::ListPetsRequest& request) override {
    std::lock_guard lock(mutex_);
    nlohmann::json out = nlohmann::json::array();
    for (const auto& [id, pet] : pets_) {
      if (request.species && pet["species"] != *request.species) continue;
      if (std::ssize(out) == request.limit) break;
      out.push_back(pet);
    }
    return json(200, out);
  }

  keel::Response create_pet(keel::Context&, const petstore::CreatePetRequest& request) override {
    const auto& body = request.body.json;
    // Schema validation is generated in a later milestone; until then the
    // handler checks the two fields it relies on.
    if (!body.is_object() || !body.contains("name") || !body["name"].is_string() ||
        !body.contains("species") || !body["species"].is_string()) {
      throw keel::validation_failed({{"/body", "invalid_pet", "name and species are required strings"}});
    }
    std::lock_guard lock(mutex_);
    nlohmann::json pet = {{"id", next_id_}, {"name", body["name"]}, {"species", body["species"]}};
    pets_[next_id_++] = pet;
    return json(201, pet);
  }

  keel::Response show_pet_by_id(keel::Context&, const petstore::ShowPetByIdRequest& request) override {
    std::lock_guard lock(mutex_);
    auto it = pets_.find(request.pet_id);
    if (it == pets_.end()) throw keel::not_found("no pet with that id");
    return json(200, it->second);
  }

private:
  std::mutex mutex_;
  std::map<std::int64_t, nlohmann::json> pets_;
  std::int64_t next_id_ = 1;
};

}  // namespace

int main(int argc, char** argv) {
  keel::ServerConfig config;
  config.port = static_cast<std::uint16_t>(argc > 1 ? std::stoi(argv[1]) : 8080);
  PetHandlers handlers;
  auto api = petstore::make_api(handlers);
  keel::Server server(config, *api);
  server.start();
  std::cout << "petstore listening on http://127.0.0.1:" << server.port() << std::endl;
  server.serve_forever();
}
