// Spreading generated code over several files (emit/parts.h).
#include "emit/generate.h"
#include "emit/parts.h"

#include <gtest/gtest.h>

#include <string>
#include <utility>
#include <vector>

namespace {

using keel::gen::emit::contiguous_parts;
using Runs = std::vector<std::pair<std::size_t, std::size_t>>;

TEST(EmitParts, EqualItemsSpreadEvenly) {
  EXPECT_EQ(contiguous_parts({10, 10, 10, 10, 10, 10}, 3), (Runs{{0, 2}, {2, 4}, {4, 6}}));
}

TEST(EmitParts, OneBigItemDoesNotPullItsNeighboursAlong) {
  // The big last item is two thirds of the total: it gets the last part,
  // the small ones stay in the first.
  EXPECT_EQ(contiguous_parts({30, 30, 120}, 3), (Runs{{0, 2}, {2, 2}, {2, 3}}));
  // Each item lands in the part its middle falls in: 120 of 180 spans parts 0 and 1.
  EXPECT_EQ(contiguous_parts({120, 30, 30}, 3), (Runs{{0, 0}, {0, 1}, {1, 3}}));
}

TEST(EmitParts, AlwaysTheNumberAskedForCoveringEveryItemOnce) {
  for (std::size_t parts : {1u, 2u, 5u, 9u}) {
    std::vector<std::size_t> sizes{7, 0, 300, 2, 2, 2, 90, 1};
    Runs runs = contiguous_parts(sizes, parts);
    ASSERT_EQ(runs.size(), parts);
    std::size_t next = 0;
    for (const auto& [begin, end] : runs) {
      EXPECT_EQ(begin, next);
      EXPECT_LE(begin, end);
      next = end;
    }
    EXPECT_EQ(next, sizes.size());
  }
  EXPECT_EQ(contiguous_parts({}, 2), (Runs{{0, 0}, {0, 0}}));
  EXPECT_EQ(contiguous_parts({0, 0}, 2), (Runs{{0, 2}, {2, 2}}));
  EXPECT_EQ(contiguous_parts({4, 4}, 0), (Runs{{0, 2}}));
}

TEST(EmitParts, FileNamesArePredictable) {
  using keel::gen::emit::part_file_name;
  EXPECT_EQ(part_file_name("models", 0, 1), "models.cpp");
  EXPECT_EQ(part_file_name("models", 0, 3), "models_0.cpp");
  EXPECT_EQ(part_file_name("models", 2, 3), "models_2.cpp");
  // What cmake/KeelApi.cmake lists for PARTS 2.
  EXPECT_EQ(keel::gen::emit::generated_file_names(2),
            (std::vector<std::string>{"api.h", "router.cpp", "operations_0.cpp", "operations_1.cpp", "spec.cpp",
                                      "validators.h", "validators_0.cpp", "validators_1.cpp", "models.h",
                                      "models_0.cpp", "models_1.cpp"}));
  EXPECT_EQ(keel::gen::emit::generated_file_names().size(), 8u);
}

}  // namespace
