#include "workspace.h"

#include "json_pointer.h"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <sstream>
#include <system_error>

namespace keel::gen::spec {

namespace fs = std::filesystem;

namespace {

/// Longest chain of refs-to-refs followed before giving up; real documents
/// use two or three hops.
constexpr std::size_t max_ref_chain = 64;

bool read_file(const std::string& path, std::size_t max_bytes, std::string& out,
               std::string& error) {
  std::error_code ec;
  auto status = fs::status(path, ec);
  if (ec || !fs::exists(status)) {
    error = "file not found";
    return false;
  }
  // FIFOs and devices could block or never end; only plain files are read.
  if (!fs::is_regular_file(status)) {
    error = "not a regular file";
    return false;
  }
  auto size = fs::file_size(path, ec);
  if (!ec && size > max_bytes) {
    error = "file is larger than " + std::to_string(max_bytes) + " bytes";
    return false;
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    error = "cannot open file";
    return false;
  }
  std::ostringstream buffer;
  buffer << in.rdbuf();
  if (in.bad()) {
    error = "read error";
    return false;
  }
  out = std::move(buffer).str();
  return true;
}

/// A `$ref` split into its document part and fragment.
struct RefParts {
  std::string uri;
  std::string fragment;
  bool has_fragment = false;
};

RefParts split_ref(const std::string& ref) {
  RefParts parts;
  auto hash = ref.find('#');
  parts.uri = ref.substr(0, hash);
  if (hash != std::string::npos) {
    parts.has_fragment = true;
    parts.fragment = ref.substr(hash + 1);
  }
  return parts;
}

/// The URI scheme ("http", "urn", ...) or "" for a relative reference.
std::string uri_scheme(const std::string& uri) {
  if (uri.rfind("//", 0) == 0) return "//";  // network-path reference
  auto colon = uri.find(':');
  if (colon == std::string::npos || colon == 0) return "";
  for (std::size_t i = 0; i < colon; ++i) {
    char c = uri[i];
    bool ok = std::isalpha(static_cast<unsigned char>(c)) ||
              (i > 0 &&
               (std::isdigit(static_cast<unsigned char>(c)) || c == '+' || c == '-' || c == '.'));
    if (!ok) return "";
  }
  std::string scheme = uri.substr(0, colon);
  std::transform(scheme.begin(), scheme.end(), scheme.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return scheme;
}

std::string describe(const Node& node, const std::string& relative_to) {
  std::string out = node.location.file == relative_to ? "" : node.location.file;
  return out + "#" + node.pointer;
}

bool location_before(const Location& a, const Location& b) {
  if (a.file != b.file) return a.file < b.file;
  if (a.line != b.line) return a.line < b.line;
  return a.column < b.column;
}

}  // namespace

std::string normalize_path(const std::string& path) {
  std::string normal = fs::path(path).lexically_normal().generic_string();
  if (normal.empty()) return path;
  return normal;
}

const Node& Workspace::root() const {
  static const Node empty;
  const Node* doc = document(root_file_);
  return doc != nullptr ? *doc : empty;
}

const Node* Workspace::document(const std::string& file) const {
  auto found = documents_.find(file);
  return found == documents_.end() ? nullptr : found->second.get();
}

const Node* Workspace::add_parsed(const std::string& name, const std::string& text,
                                  Diagnostics& diags) {
  auto doc = parse_document(name, text, limits_, counters_, diags);
  const Node* result = doc.get();
  documents_[name] = std::move(doc);
  return result;
}

bool Workspace::add_document_text(const std::string& name, const std::string& text,
                                  Diagnostics& diags) {
  return add_parsed(normalize_path(name), text, diags) != nullptr;
}

bool Workspace::load_root_text(const std::string& name, const std::string& text,
                               Diagnostics& diags) {
  root_file_ = normalize_path(name);
  const Node* doc = add_parsed(root_file_, text, diags);
  if (doc == nullptr) return false;
  if (!doc->is_map()) {
    diags.error("E-ROOT-NOT-MAPPING",
                "an OpenAPI document must be a mapping (object) at the top level", doc->location,
                "");
    return false;
  }
  return true;
}

bool Workspace::load_root(const std::string& path, Diagnostics& diags) {
  std::string text, error;
  std::string name = normalize_path(path);
  if (!read_file(path, limits_.max_file_bytes, text, error)) {
    root_file_ = name;
    diags.error("E-IO", "cannot read '" + path + "': " + error, {name, 1, 1}, "");
    return false;
  }
  return load_root_text(path, text, diags);
}

const Node* Workspace::load_file(const std::string& path, const Location& from,
                                 const std::string& from_ptr, Diagnostics& diags) {
  auto found = documents_.find(path);
  if (found != documents_.end()) {
    if (found->second == nullptr)
      diags.error("E-REF-FILE", "referenced file '" + path + "' could not be loaded", from,
                  from_ptr);
    return found->second.get();
  }
  std::string text, error;
  if (!read_file(path, limits_.max_file_bytes, text, error)) {
    documents_[path] = nullptr;
    diags.error("E-REF-FILE", "cannot read referenced file '" + path + "': " + error, from,
                from_ptr);
    return nullptr;
  }
  Diagnostics parse_diags;
  const Node* doc = add_parsed(path, text, parse_diags);
  if (doc == nullptr)
    diags.error("E-REF-FILE", "referenced file '" + path + "' could not be parsed", from, from_ptr);
  for (const auto& d : parse_diags.all()) diags.add(d);
  return doc;
}

const Node* Workspace::load_referenced(const std::string& path, const Location& from,
                                       const std::string& from_pointer, Diagnostics& diags) {
  return load_file(normalize_path(path), from, from_pointer, diags);
}

const Node* Workspace::resolve_one(const Node& holder, const Node& ref, Diagnostics& diags) {
  if (!ref.is_string()) {
    diags.error("E-REF-INVALID", "$ref must be a string", ref.location, ref.pointer);
    return nullptr;
  }
  RefParts parts = split_ref(ref.scalar);
  std::string scheme = uri_scheme(parts.uri);
  if (scheme == "http" || scheme == "https" || scheme == "//") {
    diags.warning("W-REF-REMOTE",
                  "remote $ref '" + ref.scalar +
                      "' is not followed (remote refs not supported, "
                      "offline)",
                  ref.location, ref.pointer);
    return nullptr;
  }
  if (!scheme.empty()) {
    diags.error("E-REF-UNSUPPORTED",
                "$ref '" + ref.scalar + "' uses the unsupported URI scheme '" + scheme + ":'",
                ref.location, ref.pointer);
    return nullptr;
  }
  auto uri = percent_decode(parts.uri);
  auto fragment = percent_decode(parts.fragment);
  if (!uri || !fragment) {
    diags.error("E-REF-INVALID", "$ref '" + ref.scalar + "' has a malformed %-escape", ref.location,
                ref.pointer);
    return nullptr;
  }
  const Node* doc = nullptr;
  if (uri->empty()) {
    doc = document(holder.location.file);
  } else {
    fs::path base = fs::path(holder.location.file).parent_path();
    std::string target = normalize_path((base / fs::path(*uri)).string());
    doc = load_file(target, ref.location, ref.pointer, diags);
  }
  if (doc == nullptr) return nullptr;
  if (!fragment->empty() && fragment->front() != '/') {
    diags.error("E-REF-UNSUPPORTED",
                "$ref '" + ref.scalar +
                    "' names an anchor; only JSON-pointer fragments are "
                    "supported",
                ref.location, ref.pointer);
    return nullptr;
  }
  auto tokens = split_pointer(*fragment);
  if (!tokens) {
    diags.error("E-REF-INVALID", "$ref '" + ref.scalar + "' has a malformed JSON pointer",
                ref.location, ref.pointer);
    return nullptr;
  }
  const Node* current = doc;
  std::string walked;
  for (const auto& token : *tokens) {
    const Node* next = current->child_at(token);
    if (next == nullptr) {
      diags.error("E-REF-MISSING",
                  "$ref target not found: '" + ref.scalar + "' (nothing at '" + walked + "/" +
                      escape_pointer_token(token) + "')",
                  ref.location, ref.pointer);
      return nullptr;
    }
    walked += "/" + escape_pointer_token(token);
    current = next;
  }
  return current;
}

const Node* Workspace::resolve(const Node& node, Diagnostics& diags) {
  const Node* current = &node;
  std::vector<const Node*> chain;
  while (true) {
    const Node* ref = current->get("$ref");
    if (ref == nullptr) return current;
    auto seen = std::find(chain.begin(), chain.end(), current);
    if (seen != chain.end()) {
      // Report the cycle once whichever member it is reached from: start
      // the description at the member that comes first in the files.
      std::vector<const Node*> cycle(seen, chain.end());
      auto first = std::min_element(cycle.begin(), cycle.end(), [](const Node* a, const Node* b) {
        return location_before(a->location, b->location);
      });
      std::rotate(cycle.begin(), first, cycle.end());
      const Node& start = *cycle.front();
      std::string text;
      for (const Node* member : cycle) text += describe(*member, start.location.file) + " -> ";
      text += describe(start, start.location.file);
      const Node* start_ref = start.get("$ref");
      diags.error("E-REF-CYCLE", "cycle of $refs with no schema in between: " + text,
                  start_ref->location, start_ref->pointer);
      return nullptr;
    }
    if (chain.size() >= max_ref_chain) {
      diags.error("E-REF-CYCLE",
                  "chain of $refs longer than " + std::to_string(max_ref_chain) + " hops",
                  ref->location, ref->pointer);
      return nullptr;
    }
    chain.push_back(current);
    current = resolve_one(*current, *ref, diags);
    if (current == nullptr) return nullptr;
  }
}

}  // namespace keel::gen::spec
