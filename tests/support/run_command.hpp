#pragma once
// Runs a command line and captures its exit code, stdout and stderr (tests only).

#include <sys/wait.h>

#include <array>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <unistd.h>

namespace drydock::test {

struct CommandResult {
  int exit_code = -1;
  std::string out;
  std::string err;
};

inline std::string shell_quote(const std::string& s) {
  std::string q = "'";
  for (char c : s) q += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return q + "'";
}

// Runs `command` (a shell command line) with stderr sent to a temporary file.
inline CommandResult run_shell(const std::string& command) {
  CommandResult result;
  const std::string err_path = (std::filesystem::temp_directory_path() /
                                ("drydock-test-err-" + std::to_string(::getpid()) + "-" +
                                 std::to_string(std::rand()))).string();
  FILE* pipe = ::popen((command + " 2>" + shell_quote(err_path)).c_str(), "r");
  if (!pipe) return result;
  std::array<char, 65536> buffer{};
  std::size_t n = 0;
  while ((n = std::fread(buffer.data(), 1, buffer.size(), pipe)) > 0) result.out.append(buffer.data(), n);
  const int status = ::pclose(pipe);
  result.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  std::ifstream err(err_path);
  std::stringstream ss;
  ss << err.rdbuf();
  result.err = ss.str();
  std::filesystem::remove(err_path);
  return result;
}

}  // namespace drydock::test
