#pragma once
// The drydock command line: parses arguments and runs one command.
// Exit codes (CONTRACT.md): 0 ran, nothing at or above --fail-on; 1 findings
// at or above --fail-on; 2 usage or input error.

namespace drydock {

int run_cli(int argc, char** argv);

}  // namespace drydock
