#pragma once
// A small kernel's BTF, built with tests/support/btf_builder.hpp: every BTF
// kind at least once, shaped like the kernel types drydock reads (list_head,
// a task_struct with bitfields, an anonymous union and a typedef'd anonymous
// struct, the timekeeper pieces tk_core is made of, a per-CPU variable).
// Used by the BTF tests, the fuzz seeds and the `symbols build` fixture.

#include <cstddef>
#include <vector>

#include "support/btf_builder.hpp"

namespace drydock::test {

inline std::vector<std::byte> small_kernel_btf() {
  testing::BtfBuilder b;
  const auto int_ = b.add_int("int", 4, 1);
  const auto uint = b.add_int("unsigned int", 4, 0);
  const auto ulong = b.add_int("long unsigned int", 8, 0);
  const auto char_ = b.add_int("char", 1, 3);
  const auto bool_ = b.add_int("_Bool", 1, 4);
  const auto llong = b.add_int("long long int", 8, 1);
  const auto list_head = b.next_id();
  const auto list_ptr = list_head + 1;
  b.add_struct("list_head", 16, {{"next", list_ptr, 0}, {"prev", list_ptr, 64}});
  b.add_ptr(list_head);
  const auto atomic_anon = b.add_struct("", 4, {{"counter", int_, 0}});
  const auto atomic_t = b.add_typedef("atomic_t", atomic_anon);
  const auto seq = b.add_struct("seqcount_raw_spinlock", 4, {{"sequence", uint, 0}});
  b.add_typedef("seqcount_raw_spinlock_t", seq);
  b.add_struct("timekeeper", 16, {{"offs_real", llong, 0}, {"offs_boot", llong, 64}});
  const auto pid_type = b.add_enum("pid_type", 4, {{"PIDTYPE_PID", 0}, {"PIDTYPE_MAX", 4}});
  b.add_enum("", 4, {{"SIGNED_MINUS", -1}}, true);
  b.add_enum64("big_flags", 8, {{"BIG", std::int64_t{1} << 40}});
  b.add_float("double", 8);
  const auto anon_union = b.add_struct("", 4, {{"a", int_, 0}, {"b", uint, 0}}, true);
  const auto comm = b.add_array(char_, int_, 16);
  const auto task = b.next_id();
  const auto task_const = task + 1;
  const auto task_volatile = task + 2;
  const auto task_ptr = task + 3;
  b.add_struct("task_struct", 72,
               {{"__state", uint, 0},
                {"usage", atomic_t, 32},
                {"in_execve", uint, 64, 1},
                {"in_iowait", uint, 65, 1},
                {"", anon_union, 96},
                {"tasks", list_head, 128},
                {"comm", comm, 256},
                {"parent", task_ptr, 384},
                {"type", pid_type, 448},
                {"flag", bool_, 480},
                {"state_word", ulong, 512}});
  b.add_const(task);
  b.add_volatile(task_const);
  b.add_ptr(task_volatile);
  const auto opaque = b.add_fwd("opaque", false);
  const auto tagged = b.add_type_tag("rcu", opaque);
  const auto opaque_ptr = b.add_ptr(tagged);
  b.add_restrict(opaque_ptr);
  const auto proto = b.add_func_proto(int_, {{"value", int_}});
  const auto func = b.add_func("do_it", proto);
  b.add_decl_tag("bpf_kfunc", func, -1);
  const auto var = b.add_var("runqueues", list_head);
  b.add_datasec(".data..percpu", 16, {{var, 0, 16}});
  return b.bytes();
}

}  // namespace drydock::test
