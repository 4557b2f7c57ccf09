// A handler of tests/golden/models' putWidget that states the shape it was
// written against. check_stale_handler.sh compiles it against the checked-in
// generated code (it must compile) and against the code generated from the
// spec with one of putWidget's parameters removed (it must not, and the
// error must name the operation).
#include "api.h"

struct WidgetHandlers final : golden_models::Handlers {
  KEEL_SHAPE(golden_models::shape::put_widget, 0x3a05a74d7b6e39f1);

  golden_models::PutWidgetResponse put_widget(keel::Context&, const golden_models::PutWidgetRequest&) override {
    return golden_models::PutWidgetResponse::status_204();
  }
};
