#include "emit/parts.h"

#include <algorithm>

namespace keel::gen::emit {

std::vector<std::pair<std::size_t, std::size_t>> contiguous_parts(const std::vector<std::size_t>& sizes,
                                                                  std::size_t parts) {
  parts = std::max<std::size_t>(1, parts);
  std::size_t total = 0;
  for (std::size_t size : sizes) total += size;
  std::vector<std::pair<std::size_t, std::size_t>> runs(parts, {0, 0});
  std::size_t done = 0;
  for (std::size_t i = 0; i < sizes.size(); ++i) {
    // Each item goes to the part its middle falls in, so one big item
    // does not pull its small neighbours along.
    std::size_t part = total == 0 ? 0 : std::min(parts - 1, (2 * done + sizes[i]) * parts / (2 * total));
    done += sizes[i];
    runs[part].second = i + 1;
  }
  // Runs that got no item are empty where the previous one ends.
  for (std::size_t k = 0; k < parts; ++k) {
    runs[k].first = k == 0 ? 0 : runs[k - 1].second;
    runs[k].second = std::max(runs[k].first, runs[k].second);
  }
  return runs;
}

std::string part_file_name(std::string_view stem, std::size_t part, std::size_t parts) {
  std::string name(stem);
  if (parts > 1) name += "_" + std::to_string(part);
  return name + ".cpp";
}

}  // namespace keel::gen::emit
