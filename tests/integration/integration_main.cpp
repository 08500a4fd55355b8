// The main of the integration tests: the checked Catch2 session of
// tests/catch_main.cpp, plus the options that choose the dataset the tests
// tagged [dataset] run on (real_dump.hpp). CTest passes them for each
// dataset and ISF; by hand:
//   drydock_integration_tests --dataset ../shared/dumps/docker-incident-6.12 --isf modules "[dataset]"
//   (--isf dump: no ISF, the tables built from the dump itself)

#define CATCH_CONFIG_RUNNER
#include <catch2/catch.hpp>

#include "integration/real_dump.hpp"
#include "support/catch_session.hpp"

int main(int argc, char* argv[]) {
  using Catch::clara::Opt;
  using Catch::clara::ParserResult;
  drydock::test::DatasetChoice& choice = drydock::test::dataset_choice();
  Catch::Session session;
  session.cli(session.cli() |
              Opt(choice.dir, "dir")["--dataset"]("the dataset (shared/dumps/<name>) the [dataset] tests run on; "
                                                  "default docker-basic") |
              Opt([&choice](const std::string& isf) -> ParserResult {
                    if (isf != "plain" && isf != "modules" && isf != "dump") {
                      return ParserResult::runtimeError("--isf: expected plain, modules or dump, got '" + isf + "'");
                    }
                    choice.isf = isf;
                    return ParserResult::ok(Catch::clara::ParseResultType::Matched);
                  },
                  "plain|modules|dump")["--isf"]("the ISF the [dataset] tests use: the plain one (default), the one "
                                                 "with module types, or none (dump: tables from the dump)"));
  return drydock::test::run_catch_session(session, argc, argv);
}
