#include "engine/cli/app.hpp"

int main(int argc, char** argv) { return drydock::run_cli(argc, argv); }
