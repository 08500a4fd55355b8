// Strings from memory may hold anything: text output escapes control
// characters and invalid UTF-8; JSON output stays valid UTF-8.

#include <catch2/catch.hpp>

#include "reports/json_output.hpp"
#include "reports/task_report.hpp"
#include "reports/text_escape.hpp"

using namespace drydock;

TEST_CASE("escape_text keeps printable ASCII and valid UTF-8") {
  CHECK(escape_text("sleep 1000000") == "sleep 1000000");
  CHECK(escape_text("caf\xc3\xa9") == "caf\xc3\xa9");
  CHECK(escape_text("\xe2\x82\xac 5") == "\xe2\x82\xac 5");
}

TEST_CASE("escape_text escapes control characters, DEL, C1 controls and backslashes") {
  CHECK(escape_text("a\nb") == "a\\x0ab");
  CHECK(escape_text("\x1b[2J") == "\\x1b[2J");
  CHECK(escape_text("\x7f") == "\\x7f");
  CHECK(escape_text("\xc2\x9b") == "\\xc2\\x9b");  // U+009B, the C1 control sequence introducer
  CHECK(escape_text("a\\b") == "a\\\\b");
  CHECK(escape_text(std::string("a\0b", 3)) == "a\\x00b");
}

TEST_CASE("escape_text escapes invalid UTF-8 byte by byte") {
  CHECK(escape_text("\xff\xfe") == "\\xff\\xfe");
  CHECK(escape_text("\xc3") == "\\xc3");                  // truncated sequence
  CHECK(escape_text("\xc0\xaf") == "\\xc0\\xaf");         // overlong '/'
  CHECK(escape_text("\xed\xa0\x80") == "\\xed\\xa0\\x80");  // surrogate
}

TEST_CASE("JSON output is valid UTF-8 even for names with invalid bytes and control characters") {
  DumpModel model;
  Task t;
  t.pid = 7;
  t.comm = "ev\xffil\n\x1b";
  t.cmdline = std::string("a\0b\xc3", 4);
  model.tasks.push_back(t);
  const std::string text = to_json_text(tasks_json(model));
  // Parsing succeeds (nlohmann rejects invalid UTF-8 on input) and control characters are escaped.
  const auto parsed = nlohmann::json::parse(text);
  CHECK(parsed["tasks"][0]["comm"] == "ev\xef\xbf\xbdil\n\x1b");
  CHECK(text.find("\\n") != std::string::npos);
  CHECK(text.find("\\u001b") != std::string::npos);
  CHECK(text.find('\x1b') == std::string::npos);
}

TEST_CASE("text tables escape what they print") {
  DumpModel model;
  Task t;
  t.pid = 9;
  t.comm = "x\x1b[31m";
  t.cmdline = "rm -rf /\r\nFAKE ROW";
  model.tasks.push_back(t);
  const std::string text = tasks_text(model);
  CHECK(text.find('\x1b') == std::string::npos);
  CHECK(text.find('\r') == std::string::npos);
  CHECK(text.find("FAKE ROW") != std::string::npos);
  CHECK(std::count(text.begin(), text.end(), '\n') == 2);  // header and one row: no forged row
}
