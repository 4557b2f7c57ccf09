#include "reference_handlers.h"

#include <keel/error.h>
#include <keel/response.h>

#include <string>

namespace keel::reference {

namespace api = keel_reference;
namespace models = keel_reference::models;
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

}  // namespace

api::UploadDatasetResponse ReferenceHandlers::upload_dataset(keel::Context& context,
                                                             const api::UploadDatasetRequest& request) {
  models::Dataset dataset;
  if (const keel::form::File* file = request.body.file("file")) {
    // multipart/form-data, decoded and validated by the generated code.
    std::string name = request.name.value_or(
        request.payload_form_data ? request.payload_form_data->name.value_or(file->filename.value_or(""))
                                  : file->filename.value_or(""));
    dataset = app_.datasets().upload_file(context.tenant_id, name, file->media_type, file->filename,
                                          file->bytes);
  } else if (request.payload_json) {
    // Validated already; upload_json reads the rows from the bytes to keep
    // their key order, which is the column order.
    dataset = app_.datasets().upload_json(
        context.tenant_id, request.name.value_or(request.payload_json->name.value_or("")),
        request.body.raw);
  } else {
    // text/csv: the only other media type the operation accepts.
    dataset = app_.datasets().upload_csv(context.tenant_id, request.name.value_or(""),
                                         request.body.raw);
  }
  std::string location = "/v1/datasets/" + dataset.id;
  return api::UploadDatasetResponse::status_201(std::move(dataset), {.location = std::move(location)});
}

api::ListDatasetsResponse ReferenceHandlers::list_datasets(keel::Context& context,
                                                           const api::ListDatasetsRequest& request) {
  auto page = app_.datasets().list(context.tenant_id, request.page, request.limit, request.sort);
  return api::ListDatasetsResponse::status_200(
      page, {.link = link_header("/v1/datasets", "&sort=" + request.sort, page.page, page.limit, page.total)});
}

api::GetDatasetResponse ReferenceHandlers::get_dataset(keel::Context& context,
                                                       const api::GetDatasetRequest& request) {
  return api::GetDatasetResponse::status_200(app_.datasets().get(context.tenant_id, request.dataset_id));
}

api::GetDatasetProfileResponse ReferenceHandlers::get_dataset_profile(
    keel::Context& context, const api::GetDatasetProfileRequest& request) {
  return api::GetDatasetProfileResponse::status_200(
      app_.datasets().profile(context.tenant_id, request.dataset_id));
}

api::DeleteDatasetResponse ReferenceHandlers::delete_dataset(keel::Context& context,
                                                             const api::DeleteDatasetRequest& request) {
  app_.datasets().remove(context.tenant_id, request.dataset_id);
  return api::DeleteDatasetResponse::status_204();
}

api::CreateSynthesizeJobResponse ReferenceHandlers::create_synthesize_job(
    keel::Context& context, const api::CreateSynthesizeJobRequest& request) {
  auto job = app_.jobs().create(context.tenant_id, request.payload);
  return api::CreateSynthesizeJobResponse::status_202(
      job, {.x_job_id = job.job_id, .location = "/v1/synthesize/jobs/" + job.job_id});
}

api::ListSynthesizeJobsResponse ReferenceHandlers::list_synthesize_jobs(
    keel::Context& context, const api::ListSynthesizeJobsRequest& request) {
  std::string status = request.status.value_or("");
  std::string query = "&sort=" + request.sort + (status.empty() ? "" : "&status=" + status);
  auto page = app_.jobs().list(context.tenant_id, request.page, request.limit, status, request.sort);
  return api::ListSynthesizeJobsResponse::status_200(
      page, {.link = link_header("/v1/synthesize/jobs", query, page.page, page.limit, page.total)});
}

api::GetSynthesizeJobResponse ReferenceHandlers::get_synthesize_job(keel::Context& context,
                                                                    const api::GetSynthesizeJobRequest& request) {
  return api::GetSynthesizeJobResponse::status_200(app_.jobs().get(context.tenant_id, request.job_id));
}

api::CancelSynthesizeJobResponse ReferenceHandlers::cancel_synthesize_job(
    keel::Context& context, const api::CancelSynthesizeJobRequest& request) {
  return api::CancelSynthesizeJobResponse::status_200(
      app_.jobs().cancel(context.tenant_id, request.job_id));
}

api::GetSynthesizeJobOutputResponse ReferenceHandlers::get_synthesize_job_output(
    keel::Context& context, const api::GetSynthesizeJobOutputRequest& request) {
  JobOutput output = app_.jobs().output(context.tenant_id, request.job_id, request.format);
  if (output.media_type == "text/csv")
    return api::GetSynthesizeJobOutputResponse::status_200_csv(std::move(output.body));
  return api::GetSynthesizeJobOutputResponse::status_200_x_ndjson(std::move(output.body));
}

}  // namespace keel::reference
