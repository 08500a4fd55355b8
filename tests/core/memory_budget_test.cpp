#include "engine/core/memory_budget.hpp"

#include <catch2/catch.hpp>

#include <thread>
#include <vector>

using drydock::MemoryBudget;

TEST_CASE("MemoryBudget takes charges up to its limit and refuses the one that would pass it") {
  MemoryBudget budget(1000);
  CHECK(budget.charge(600));
  CHECK(budget.charge(400));
  CHECK_FALSE(budget.exhausted());
  CHECK_FALSE(budget.charge(1));
  CHECK(budget.used() == 1000);  // a refused charge takes nothing
  CHECK(budget.exhausted());
  CHECK(budget.charge(0));
}

TEST_CASE("MemoryBudget refuses a charge larger than the whole limit without overflowing") {
  MemoryBudget budget(std::uint64_t{3} << 20);
  CHECK(budget.charge(10));
  CHECK_FALSE(budget.charge(UINT64_MAX));
  CHECK(budget.used() == 10);
  CHECK_THAT(budget.exhausted_issue(), Catch::StartsWith("memory budget of 3 MiB for this dump is used up"));
  CHECK_THAT(budget.exhausted_issue(), Catch::Contains("raise --max-memory"));
}

TEST_CASE("MemoryBudget counts charges from many threads exactly") {
  MemoryBudget budget(10'000);
  std::vector<std::thread> threads;
  std::vector<int> granted(4, 0);
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < 5000; ++i) granted[t] += budget.charge(1);
    });
  }
  for (auto& thread : threads) thread.join();
  CHECK(granted[0] + granted[1] + granted[2] + granted[3] == 10'000);
  CHECK(budget.used() == 10'000);
}

TEST_CASE("A default MemoryBudget has no limit short of the address space") {
  MemoryBudget budget;
  CHECK(budget.charge(std::uint64_t{1} << 62));
  CHECK_FALSE(budget.exhausted());
}
