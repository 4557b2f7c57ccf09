#include "ir/cycles.h"

#include <algorithm>
#include <utility>

namespace keel::gen::ir {

std::vector<std::vector<std::uint32_t>> cyclic_components(
    const std::vector<std::vector<std::uint32_t>>& edges) {
  using Id = std::uint32_t;
  constexpr Id unvisited = UINT32_MAX;
  const std::size_t n = edges.size();
  std::vector<Id> index(n, unvisited), low(n, 0);
  std::vector<bool> on_stack(n, false);
  std::vector<Id> stack;
  std::vector<std::vector<Id>> cycles;
  Id counter = 0;
  for (Id start = 0; start < n; ++start) {
    if (index[start] != unvisited) continue;
    std::vector<std::pair<Id, std::size_t>> frames{{start, 0}};  // vertex, next edge
    index[start] = low[start] = counter++;
    stack.push_back(start);
    on_stack[start] = true;
    while (!frames.empty()) {
      auto& [v, pos] = frames.back();
      if (pos < edges[v].size()) {
        Id t = edges[v][pos++];
        if (index[t] == unvisited) {
          index[t] = low[t] = counter++;
          stack.push_back(t);
          on_stack[t] = true;
          frames.push_back({t, 0});
        } else if (on_stack[t]) {
          low[v] = std::min(low[v], index[t]);
        }
        continue;
      }
      Id done = v;
      frames.pop_back();
      if (!frames.empty()) low[frames.back().first] = std::min(low[frames.back().first], low[done]);
      if (low[done] != index[done]) continue;
      std::vector<Id> component;
      Id w;
      do {
        w = stack.back();
        stack.pop_back();
        on_stack[w] = false;
        component.push_back(w);
      } while (w != done);
      bool self_loop = std::find(edges[done].begin(), edges[done].end(), done) != edges[done].end();
      if (component.size() > 1 || self_loop) cycles.push_back(std::move(component));
    }
  }
  return cycles;
}

}  // namespace keel::gen::ir
