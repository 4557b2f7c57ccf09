#pragma once

// The generated handler interface of spec/openapi.yaml, implemented on the
// domain services. Only translation lives here: typed request in, service
// call, response through the operation's generated responder (only the
// statuses, bodies and headers the spec documents compile).

#include "api.h"
#include "reference_app.h"

namespace keel::reference {

class ReferenceHandlers final : public keel_reference::Handlers {
public:
  explicit ReferenceHandlers(ReferenceApp& app) : app_(app) {}

  keel_reference::UploadDatasetResponse upload_dataset(keel::Context& context,
                                const keel_reference::UploadDatasetRequest& request) override;
  keel_reference::ListDatasetsResponse list_datasets(keel::Context& context,
                               const keel_reference::ListDatasetsRequest& request) override;
  keel_reference::GetDatasetResponse get_dataset(keel::Context& context,
                             const keel_reference::GetDatasetRequest& request) override;
  keel_reference::GetDatasetProfileResponse get_dataset_profile(keel::Context& context,
                                     const keel_reference::GetDatasetProfileRequest& request) override;
  keel_reference::DeleteDatasetResponse delete_dataset(keel::Context& context,
                                const keel_reference::DeleteDatasetRequest& request) override;

  keel_reference::CreateSynthesizeJobResponse create_synthesize_job(keel::Context& context,
                                       const keel_reference::CreateSynthesizeJobRequest& request) override;
  keel_reference::ListSynthesizeJobsResponse list_synthesize_jobs(keel::Context& context,
                                      const keel_reference::ListSynthesizeJobsRequest& request) override;
  keel_reference::GetSynthesizeJobResponse get_synthesize_job(keel::Context& context,
                                    const keel_reference::GetSynthesizeJobRequest& request) override;
  keel_reference::CancelSynthesizeJobResponse cancel_synthesize_job(keel::Context& context,
                                       const keel_reference::CancelSynthesizeJobRequest& request) override;
  keel_reference::GetSynthesizeJobOutputResponse get_synthesize_job_output(
      keel::Context& context, const keel_reference::GetSynthesizeJobOutputRequest& request) override;

private:
  ReferenceApp& app_;
};

}  // namespace keel::reference
