#include "reference_handlers.h"

#include <keel/error.h>
#include <keel/response.h>

#include <string>

namespace keel::reference {
namespace {

// RFC 8288 pagination links; `query` carries the list's other parameters.
std::string link_header(const std::string& path, const std::string& query, std::int64_t page,
                        std::int64_t limit, std::int64_t total) {
  std::int64_t last = total == 0 ? 1 : (total + limit - 1) / limit;
  auto link = [&](std::int64_t p, const char* rel) {
    return "<" + path + "?page=" + std::to_string(p) + "&limit=" + std::to_string(limit) + query +
           ">; rel=\"" + rel + "\"";
  };
  std::string out = link(1, "first");
  if (page > 1) out += ", " + link(std::min(page - 1, last), "prev");
  if (page < last) out += ", " + link(page + 1, "next");
  out += ", " + link(last, "last");
  return out;
}

keel::Response page_response(const nlohmann::json& body, const std::string& path, const std::string& query) {
  keel::Response r = keel::json_response(200, body);
  r.headers.set("Link", link_header(path, query, body.at("page").get<std::int64_t>(),
                                    body.at("limit").get<std::int64_t>(),
                                    body.at("total").get<std::int64_t>()));
  return r;
}

// Typed bodies arrive with the model milestone; until then the few fields
// a job needs are read here, with the same pointers and codes validation uses.
SynthesizeJobRequest job_request(const nlohmann::json& body) {
  std::vector<keel::FieldError> errors;
  SynthesizeJobRequest out;
  if (!body.is_object()) throw keel::validation_failed({{"/body", "type", "must be a JSON object"}});
  auto integer = [&](const char* name, bool required) -> std::optional<std::int64_t> {
    auto it = body.find(name);
    if (it == body.end()) {
      if (required) errors.push_back({std::string("/body/") + name, "required", "is required"});
      return std::nullopt;
    }
    if (!it->is_number_integer()) {
      errors.push_back({std::string("/body/") + name, "type", "must be an integer"});
      return std::nullopt;
    }
    return it->get<std::int64_t>();
  };
  if (auto it = body.find("dataset_id"); it == body.end()) {
    errors.push_back({"/body/dataset_id", "required", "is required"});
  } else if (!it->is_string()) {
    errors.push_back({"/body/dataset_id", "type", "must be a string"});
  } else {
    out.dataset_id = it->get<std::string>();
  }
  if (auto it = body.find("model"); it != body.end()) {
    if (!it->is_string() || *it != "synthesize") errors.push_back({"/body/model", "enum", "must be one of: synthesize"});
  }
  if (auto rows = integer("rows", true)) {
    if (*rows < 1 || *rows > 1'000'000) errors.push_back({"/body/rows", "range", "must be within 1..1000000"});
    out.rows = *rows;
  }
  if (auto seed = integer("seed", false)) out.seed = *seed;
  if (auto max_credits = integer("max_credits", false)) {
    if (*max_credits < 1) errors.push_back({"/body/max_credits", "minimum", "must be at least 1"});
    out.max_credits = *max_credits;
  }
  if (!errors.empty()) throw keel::validation_failed(std::move(errors));
  return out;
}

}  // namespace

keel::Response ReferenceHandlers::upload_dataset(keel::Context& context,
                                                 const keel_reference::UploadDatasetRequest& request) {
  nlohmann::json dataset;
  if (const keel::form::File* file = request.body.file("file")) {
    // multipart/form-data, decoded and validated by the generated code.
    std::string name = request.name.value_or(
        request.body.json.value("name", file->filename.value_or("")));
    dataset = app_.datasets().upload_file(context.tenant_id, name, file->media_type, file->filename,
                                          file->bytes);
  } else {
    dataset = app_.datasets().upload(context.tenant_id, request.body.media_type, request.body.raw,
                                     request.name.value_or(""));
  }
  keel::Response r = keel::json_response(201, dataset);
  r.headers.set("Location", "/v1/datasets/" + dataset.at("id").get<std::string>());
  return r;
}

keel::Response ReferenceHandlers::list_datasets(keel::Context& context,
                                                const keel_reference::ListDatasetsRequest& request) {
  return page_response(app_.datasets().list(context.tenant_id, request.page, request.limit, request.sort),
                       "/v1/datasets", "&sort=" + request.sort);
}

keel::Response ReferenceHandlers::get_dataset(keel::Context& context,
                                              const keel_reference::GetDatasetRequest& request) {
  return keel::json_response(200, app_.datasets().get(context.tenant_id, request.dataset_id));
}

keel::Response ReferenceHandlers::get_dataset_profile(
    keel::Context& context, const keel_reference::GetDatasetProfileRequest& request) {
  return keel::json_response(200, app_.datasets().profile(context.tenant_id, request.dataset_id));
}

keel::Response ReferenceHandlers::delete_dataset(keel::Context& context,
                                                 const keel_reference::DeleteDatasetRequest& request) {
  app_.datasets().remove(context.tenant_id, request.dataset_id);
  return keel::empty_response(204);
}

keel::Response ReferenceHandlers::create_synthesize_job(
    keel::Context& context, const keel_reference::CreateSynthesizeJobRequest& request) {
  nlohmann::json job = app_.jobs().create(context.tenant_id, job_request(request.body.json));
  std::string id = job.at("job_id").get<std::string>();
  keel::Response r = keel::json_response(202, job);
  r.headers.set("X-Job-Id", id);
  r.headers.set("Location", "/v1/synthesize/jobs/" + id);
  return r;
}

keel::Response ReferenceHandlers::list_synthesize_jobs(
    keel::Context& context, const keel_reference::ListSynthesizeJobsRequest& request) {
  std::string status = request.status.value_or("");
  std::string query = "&sort=" + request.sort + (status.empty() ? "" : "&status=" + status);
  return page_response(app_.jobs().list(context.tenant_id, request.page, request.limit, status, request.sort),
                       "/v1/synthesize/jobs", query);
}

keel::Response ReferenceHandlers::get_synthesize_job(keel::Context& context,
                                                     const keel_reference::GetSynthesizeJobRequest& request) {
  return keel::json_response(200, app_.jobs().get(context.tenant_id, request.job_id));
}

keel::Response ReferenceHandlers::cancel_synthesize_job(
    keel::Context& context, const keel_reference::CancelSynthesizeJobRequest& request) {
  return keel::json_response(200, app_.jobs().cancel(context.tenant_id, request.job_id));
}

keel::Response ReferenceHandlers::get_synthesize_job_output(
    keel::Context& context, const keel_reference::GetSynthesizeJobOutputRequest& request) {
  JobOutput output = app_.jobs().output(context.tenant_id, request.job_id, request.format);
  return keel::bytes_response(200, std::move(output.body), std::move(output.media_type));
}

}  // namespace keel::reference
