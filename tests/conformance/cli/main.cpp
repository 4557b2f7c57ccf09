// Compiles and runs what `keel-gen schema` wrote for order.json: a remote
// reference served through --map-uri, a sibling file reached through
// --map-uri too, and format assertion.

#include "order_validator.h"

#include <iostream>

int main() {
  int failures = 0;
  auto expect = [&](const char* text, bool valid, std::size_t errors_expected) {
    nlohmann::json instance = nlohmann::json::parse(text);
    keel::schema::Errors errors;
    bool fast = shop::validate_Order(instance);
    bool collected = shop::validate_Order(instance, errors);
    if (fast != valid || collected != valid || errors.size() != errors_expected) {
      ++failures;
      std::cerr << "unexpected result for " << text << ": " << fast << " " << collected << "\n";
      for (const auto& e : errors)
        std::cerr << "  " << e.instance_pointer() << " " << e.keyword_location << " " << e.message() << "\n";
    }
  };
  expect(R"({"id": 1, "lines": [{"sku": "ABC-1", "quantity": 2}], "placed": "2024-01-01T10:00:00Z"})", true, 0);
  expect(R"({"id": 1.5, "lines": [{"sku": "abc", "quantity": 0}], "placed": "yesterday", "x": 1})", false, 5);
  expect(R"({"lines": []})", false, 2);
  return failures == 0 ? 0 : 1;
}
