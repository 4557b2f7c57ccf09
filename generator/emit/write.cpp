#include "emit/write.h"

#include <filesystem>
#include <fstream>
#include <system_error>

namespace keel::gen::emit {

bool write_files(const std::string& dir, const std::vector<File>& files, std::string& error) {
  namespace fs = std::filesystem;
  std::error_code ec;
  fs::create_directories(dir, ec);
  if (ec) {
    error = "cannot create " + dir + ": " + ec.message();
    return false;
  }
  for (const auto& file : files) {
    fs::path target = fs::path(dir) / file.name;
    fs::path temp = target;
    temp += ".tmp";
    {
      std::ofstream out(temp, std::ios::binary | std::ios::trunc);
      out.write(file.content.data(), static_cast<std::streamsize>(file.content.size()));
      if (!out.flush()) {
        error = "cannot write " + temp.string();
        return false;
      }
    }
    fs::rename(temp, target, ec);
    if (ec) {
      error = "cannot replace " + target.string() + ": " + ec.message();
      return false;
    }
  }
  return true;
}

}  // namespace keel::gen::emit
