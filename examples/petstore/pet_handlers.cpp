// Business logic of the petstore example: everything HTTP-shaped (routing,
// parameter decoding, validation, the error envelope) is generated or in
// libkeel. Requests arrive as models; answers go through each operation's
// responder, which offers only the statuses and bodies the spec documents.
#include "api.h"

#include <keel/error.h>
#include <keel/server.h>

#include <iostream>
#include <map>
#include <mutex>
#include <string>
#include <vector>

namespace {

namespace models = petstore::models;

class PetHandlers final : public petstore::Handlers {
public:
  // The shapes these handlers were written against: a spec change to one of
  // these operations fails to compile here, naming it (docs/getting-started.md).
  KEEL_SHAPE(petstore::shape::list_pets, 0x9b4a7a441efca225);
  KEEL_SHAPE(petstore::shape::create_pet, 0x6d9d95d55239f452);
  KEEL_SHAPE(petstore::shape::show_pet_by_id, 0xcf7362f5bf2b6bf8);

  petstore::ListPetsResponse list_pets(keel::Context&, const petstore::ListPetsRequest& request) override {
    std::lock_guard lock(mutex_);
    std::vector<models::Pet> out;
    for (const auto& [id, pet] : pets_) {
      if (request.species && to_string(pet.species) != *request.species) continue;
      if (std::ssize(out) == request.limit) break;
      out.push_back(pet);
    }
    return petstore::ListPetsResponse::status_200(out);
  }

  petstore::CreatePetResponse create_pet(keel::Context&, const petstore::CreatePetRequest& request) override {
    std::lock_guard lock(mutex_);
    models::Pet pet;
    pet.id = next_id_++;
    pet.name = request.payload.name;
    pet.species = request.payload.species;
    pets_[pet.id] = pet;
    return petstore::CreatePetResponse::status_201(pet);
  }

  petstore::ShowPetByIdResponse show_pet_by_id(keel::Context&,
                                               const petstore::ShowPetByIdRequest& request) override {
    std::lock_guard lock(mutex_);
    auto it = pets_.find(request.pet_id);
    if (it == pets_.end()) return petstore::ShowPetByIdResponse::error(keel::not_found("no pet with that id"));
    return petstore::ShowPetByIdResponse::status_200(it->second);
  }

private:
  std::mutex mutex_;
  std::map<std::int64_t, models::Pet> pets_;
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
