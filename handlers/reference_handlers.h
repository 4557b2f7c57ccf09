#pragma once

// The generated handler interface of spec/openapi.yaml, implemented on the
// domain services. Only translation lives here: typed request in, service
// call, response with the status and headers the spec documents.

#include "api.h"
#include "reference_app.h"

namespace keel::reference {

class ReferenceHandlers final : public keel_reference::Handlers {
public:
  explicit ReferenceHandlers(ReferenceApp& app) : app_(app) {}

  keel::Response upload_dataset(keel::Context& context,
                                const keel_reference::UploadDatasetRequest& request) override;
  keel::Response list_datasets(keel::Context& context,
                               const keel_reference::ListDatasetsRequest& request) override;
  keel::Response get_dataset(keel::Context& context,
                             const keel_reference::GetDatasetRequest& request) override;
  keel::Response get_dataset_profile(keel::Context& context,
                                     const keel_reference::GetDatasetProfileRequest& request) override;
  keel::Response delete_dataset(keel::Context& context,
                                const keel_reference::DeleteDatasetRequest& request) override;

  keel::Response create_synthesize_job(keel::Context& context,
                                       const keel_reference::CreateSynthesizeJobRequest& request) override;
  keel::Response list_synthesize_jobs(keel::Context& context,
                                      const keel_reference::ListSynthesizeJobsRequest& request) override;
  keel::Response get_synthesize_job(keel::Context& context,
                                    const keel_reference::GetSynthesizeJobRequest& request) override;
  keel::Response cancel_synthesize_job(keel::Context& context,
                                       const keel_reference::CancelSynthesizeJobRequest& request) override;
  keel::Response get_synthesize_job_output(
      keel::Context& context, const keel_reference::GetSynthesizeJobOutputRequest& request) override;

private:
  ReferenceApp& app_;
};

}  // namespace keel::reference
