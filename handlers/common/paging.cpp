#include "common/paging.h"

#include <keel/error.h>

#include <limits>

namespace keel::reference {

void check_page(std::int64_t page, std::int64_t limit) {
  std::vector<keel::FieldError> errors;
  if (page < 1) errors.push_back({"/query/page", "out_of_range", "page must be 1 or greater"});
  if (limit < 1 || limit > kMaxLimit)
    errors.push_back({"/query/limit", "out_of_range",
                      "limit must be between 1 and " + std::to_string(kMaxLimit)});
  if (!errors.empty()) throw keel::validation_failed(std::move(errors));
}

std::int64_t page_offset(std::int64_t page, std::int64_t limit) {
  if (page - 1 > std::numeric_limits<std::int64_t>::max() / limit)
    return std::numeric_limits<std::int64_t>::max();
  return (page - 1) * limit;
}

} // namespace keel::reference
