#include "reference_app.h"

#include "common/ids.h"

namespace keel::reference {

ReferenceApp::ReferenceApp(ReferenceAppOptions options)
    : store_(std::make_unique<Store>(options.data_dir)) {
  if (options.create_dev_tenant)
    store_->ensure_tenant(
        {std::string(kDevTenant), std::string(kDevTenant), "pro", 1000, now_rfc3339()});
  datasets_ = std::make_unique<DatasetService>(*store_);
  jobs_ = std::make_unique<JobService>(*store_, options.jobs);
}

ReferenceApp::~ReferenceApp() { shutdown(); }

} // namespace keel::reference
