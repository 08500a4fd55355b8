#pragma once
// A synthetic Linux kernel for tests and fuzz targets: a small ISF symbol
// table and a physical memory image with x86-64 page tables, a KASLR-shifted
// kernel image and a direct map, into which tests place kernel structures
// (tasks, credentials, namespaces, mounts, dentries, network devices) and then
// break them on purpose (cycles, pointers into unmapped memory, strings with
// no terminator).
//
//   testing::SyntheticKernel k;
//   const auto init = k.add_task({.pid = 1, .comm = "systemd"});
//   const auto sh = k.add_task({.pid = 42, .comm = "sh", .parent = init});
//   k.write_u64(sh + k.member_offset("task_struct", "real_cred"), testing::kUnmappedAddress);
//   auto loaded = k.load();                        // throws if the kernel is not found
//   auto result = walk_tasks(*loaded->kernel);
//
//   testing::SyntheticKernel old({.variants = testing::KernelVariants::linux_4_14()});
//
// Layout: one table per combination of kernel variants (synthetic_layout.hpp),
// its offsets deliberately unlike any real kernel's, so a walker that
// hard-codes an offset fails here. The same table produces the ISF and is
// what member_offset() answers from; the builder writes each structure as
// the chosen variant lays it out (a task's `state` or `__state`, mounts in
// a list or an rb-tree, ...). The static offset() answers for the default
// layout only.
//
// Address space (4-level; 5-level moves the direct map to 0xff11...):
//   kernel image  kImageLink + virtual_shift  -> 0x1000000 + physical_shift (2 MiB pages)
//   direct map    0xffff888000000000 + p      -> p, p < 1 GiB (one 1 GiB page)
//   heap objects  allocated from physical [kHeapPhysical, kHeapLimit), used through the direct map
// Only pages that something was written to are saved in the image; the rest
// of the mapped space is a hole in the dump (see kUnsavedAddress).
//
// Header-only. Test bugs (writing outside the known regions, an unknown
// member name) throw std::logic_error; load() throws std::runtime_error with
// the product's error when the kernel cannot be opened.

#include <arpa/inet.h>

#include <algorithm>
#include <array>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <map>
#include <memory>
#include <optional>
#include <span>
#include <stdexcept>
#include <string>
#include <string_view>
#include <tuple>
#include <utility>
#include <vector>

#include "engine/dump/physical_memory.hpp"
#include "engine/kernel/kernel_locator.hpp"
#include "engine/kernel/kernel_memory.hpp"
#include "engine/model/namespaces.hpp"
#include "support/dump_builder.hpp"
#include "support/page_table_builder.hpp"
#include "support/synthetic_layout.hpp"
#include "symbols/symbol_table.hpp"

namespace drydock::testing {

// --- the address space ---------------------------------------------------------

inline constexpr std::uint64_t kStartKernelMapLink = 0xffffffff80000000ULL;  // __START_KERNEL_map
inline constexpr std::uint64_t kImageLink = 0xffffffff81000000ULL;           // _text before KASLR
inline constexpr std::uint64_t kImageSpan = 32ULL << 20;                     // 16 2-MiB pages
inline constexpr std::uint64_t kDirectMap4 = 0xffff888000000000ULL;          // page_offset_base, 4-level
inline constexpr std::uint64_t kDirectMap5 = 0xff11000000000000ULL;          // page_offset_base, 5-level
inline constexpr std::uint64_t kDirectMapSpan = 1ULL << 30;
inline constexpr std::uint64_t kTablePhysical = 0x100000;  // intermediate page tables
inline constexpr std::uint64_t kHeapPhysical = 0x200000;   // heap objects, up to
inline constexpr std::uint64_t kHeapLimit = 0x1000000;     // the lowest the kernel image can start
// A kernel address no page table maps (the vmalloc area has no PML4 entry).
inline constexpr std::uint64_t kUnmappedAddress = 0xffffc90000123000ULL;
// A direct-map address (4-level) that translates, but whose page is not in the dump.
inline constexpr std::uint64_t kUnsavedAddress = kDirectMap4 + 0x30000000ULL;

// Link-time addresses of the symbols.
inline constexpr std::uint64_t kLinuxBannerLink = 0xffffffff81c00180ULL;
inline constexpr std::uint64_t kInitTopPgtLink = 0xffffffff82a0c000ULL;
inline constexpr std::uint64_t kInitTaskLink = 0xffffffff82a15940ULL;
inline constexpr std::uint64_t kNetNamespaceListLink = 0xffffffff82b3a520ULL;
inline constexpr std::uint64_t kVmcoreinfoNoteLink = 0xffffffff82c4a8d0ULL;
inline constexpr std::uint64_t kPgtableL5EnabledLink = 0xffffffff82c50010ULL;
inline constexpr std::uint64_t kTkCoreLink = 0xffffffff82b50000ULL;
inline constexpr std::uint64_t kSocketFileOpsLink = 0xffffffff81e2a0c0ULL;  // compared, never read
// The wall-clock boot time the synthetic timekeeper holds (offs_real - offs_boot).
inline constexpr std::int64_t kSyntheticBootTimeNs = 1'700'000'000'000'000'000;

inline constexpr std::string_view kSyntheticBanner =
    "Linux version 6.1.0-synthetic (drydock@tests) (gcc (Debian 12.2.0-14) 12.2.0, GNU ld 2.40) "
    "#1 SMP PREEMPT_DYNAMIC Debian 6.1.0-1 (2024-01-01)";

// Namespace inode numbers as a synthetic task is given them.
struct NsInodes {
  std::uint64_t uts = 0, ipc = 0, mnt = 0, net = 0, pid = 0, user = 0, cgroup = 0;

  // Whether a walked task read exactly these inode numbers.
  friend bool operator==(const NamespaceSet& read, const NsInodes& want) {
    return read.uts == want.uts && read.ipc == want.ipc && read.mnt == want.mnt && read.net == want.net &&
           read.pid == want.pid && read.user == want.user && read.cgroup == want.cgroup;
  }
};

// The initial namespaces' inode numbers, as on a real host.
inline constexpr NsInodes kHostNamespaces{.uts = 4026531838, .ipc = 4026531839, .mnt = 4026531841,
                                              .net = 4026531840, .pid = 4026531836, .user = 4026531837,
                                              .cgroup = 4026531835};

inline constexpr std::uint32_t kPfKthread = 0x00200000;

// --- the builder --------------------------------------------------------------------

namespace synthetic_detail {

inline std::string base64(std::string_view bytes) {
  static constexpr char kAlphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  for (std::size_t i = 0; i < bytes.size(); i += 3) {
    std::uint32_t chunk = static_cast<std::uint8_t>(bytes[i]) << 16;
    if (i + 1 < bytes.size()) chunk |= static_cast<std::uint8_t>(bytes[i + 1]) << 8;
    if (i + 2 < bytes.size()) chunk |= static_cast<std::uint8_t>(bytes[i + 2]);
    out += kAlphabet[(chunk >> 18) & 63];
    out += kAlphabet[(chunk >> 12) & 63];
    out += i + 1 < bytes.size() ? kAlphabet[(chunk >> 6) & 63] : '=';
    out += i + 2 < bytes.size() ? kAlphabet[chunk & 63] : '=';
  }
  return out;
}

}  // namespace synthetic_detail

struct SyntheticKernelOptions {
  std::uint64_t virtual_shift = 0x4e00000;   // KASLR, 2 MiB aligned
  std::uint64_t physical_shift = 0x2200000;  // 2 MiB aligned
  bool five_level = false;                   // 5-level paging (__pgtable_l5_enabled = 1)
  bool vmcoreinfo = true;                    // a vmcoreinfo_note symbol and note
  // KERNELOFFSET written in the note; nullopt: the true virtual_shift.
  std::optional<std::uint64_t> vmcoreinfo_kernel_offset{};
  std::string banner = std::string(kSyntheticBanner);
  // The banner the ISF carries; nullopt: the same as the image's.
  std::optional<std::string> isf_banner{};
  // The structure layout, family by family (support/synthetic_layout.hpp).
  KernelVariants variants{};
  // Members the ISF leaves out, as (type, member), as a symbol table that
  // lacks them; the image still holds them.
  std::vector<std::pair<std::string, std::string>> omitted_members{};
};

enum class NsKind { uts, ipc, mnt, net, pid, user, cgroup };

struct TaskSpec {
  std::int32_t pid = 0;
  std::int32_t tgid = 0;         // 0: same as pid
  std::string comm{};            // cut to 16 bytes; exactly 16 leaves no NUL
  std::uint64_t parent = 0;      // task_struct of real_parent; 0: init_task
  std::uint32_t uid = 0;         // uid, suid, euid, fsuid
  std::uint32_t gid = 0;         // gid, sgid, egid, fsgid
  std::uint64_t cap_effective = 0;
  std::uint64_t cap_permitted = 0;
  std::uint64_t cap_bset = 0x1ffffffffffULL;
  bool kernel_thread = false;
  NsInodes ns = kHostNamespaces;
  std::int32_t ns_pid = 0;        // PID in ns.pid when it is not the host's; 0: same as pid
  std::string cgroup{};           // cgroup v2 path ("/system.slice/x.service"); empty: none
  std::uint64_t root_mount = 0;   // fs->root: struct mount (from add_mount); 0: no fs_struct
  std::uint64_t root_dentry = 0;  //           and dentry; 0: the mount's root
  std::uint64_t thread_of = 0;    // a thread of this leader (not on the task list)
  std::uint32_t state = 0;        // __state (or state): 0 running, 1 TASK_INTERRUPTIBLE, 0x80 TASK_DEAD, ...
  std::uint32_t exit_state = 0;   // 0x20 EXIT_ZOMBIE, 0x10 EXIT_DEAD
  std::uint64_t start_boottime = 0;  // ns since boot (start_boottime or real_start_time)
};

struct MountSpec {
  std::int32_t id = 0;
  std::uint64_t parent = 0;      // struct mount of the parent; 0: itself (a namespace root)
  std::uint64_t mountpoint = 0;  // dentry in the parent; 0: the mount's own root
  std::uint64_t root = 0;        // root dentry of what is mounted; 0: a new superblock's root
  std::string devname = "none";
  std::string fstype = "tmpfs";
  std::uint32_t flags = 0;       // mnt_flags (MNT_NOSUID 0x1, ... MNT_READONLY 0x40)
};

// An inode (and, with add_file, the dentry naming it).
struct InodeSpec {
  std::uint64_t ino = 0;
  std::uint16_t mode = 0100644;  // S_IFREG | 0644
  std::uint32_t uid = 0;
  std::uint32_t gid = 0;
  std::int64_t size = 0;
  std::int64_t atime_ns = 0;     // since the epoch, >= 0
  std::int64_t mtime_ns = 0;
  std::int64_t ctime_ns = 0;
};

struct NetDeviceSpec {
  std::string name{};
  std::int32_t ifindex = 0;
  std::string mac{};             // "02:42:ac:11:00:02"; empty: none
  bool up = true;
  std::uint16_t type = 1;        // ARPHRD_ETHER; 772 loopback
  std::string kind{};            // rtnl_link_ops->kind ("veth", "bridge"); empty: none
};

// The kernel opened as drydock opens it: the image bytes, the physical
// memory over them, the parsed symbols and the located kernel. Not movable
// (the members refer to each other); held by unique_ptr.
struct LoadedKernel {
  Bytes file;
  std::unique_ptr<PhysicalMemory> memory;
  std::shared_ptr<const SymbolTable> symbols;
  std::unique_ptr<KernelMemory> kernel;

  LoadedKernel() = default;
  LoadedKernel(const LoadedKernel&) = delete;
  LoadedKernel& operator=(const LoadedKernel&) = delete;
};

enum class ImageFormat { lime, elf_core, raw };

class SyntheticKernel {
 public:
  explicit SyntheticKernel(SyntheticKernelOptions options = {})
      : options_(std::move(options)),
        layout_(synthetic_detail::layout(options_.variants)),
        tables_(image_, link_to_physical(kInitTopPgtLink), kTablePhysical, options_.five_level ? 5 : 4) {
    if (options_.virtual_shift % kPage2M || options_.physical_shift % kPage2M) {
      throw std::logic_error("synthetic kernel: shifts must be 2 MiB aligned");
    }
    tables_.map_range(kImageLink + options_.virtual_shift, link_to_physical(kImageLink), kImageSpan, kPage2M);
    tables_.map(direct_map(), 0, kPage1G);

    std::string banner_bytes = options_.banner + "\n";
    banner_bytes.push_back('\0');
    image_.write_string(link_to_physical(kLinuxBannerLink), banner_bytes);
    if (options_.five_level) image_.write_u32(link_to_physical(kPgtableL5EnabledLink), 1);
    if (options_.vmcoreinfo) {
      const std::uint64_t offset = options_.vmcoreinfo_kernel_offset.value_or(options_.virtual_shift);
      char text[64];
      std::snprintf(text, sizeof text, "KERNELOFFSET=%llx\n", static_cast<unsigned long long>(offset));
      const std::string desc = "OSRELEASE=6.1.0-synthetic\nPAGESIZE=4096\n" + std::string(text);
      const Bytes note = elf_note("VMCOREINFO", 0, desc);
      const std::uint64_t at = alloc(note.size(), 4096);
      write(at, note);
      write_u64(symbol("vmcoreinfo_note"), at);
    }

    list_init(symbol("net_namespace_list"));
    if (options_.variants.timekeeper != TimekeeperHolder::none) {
      image_.map(link_to_physical(kTkCoreLink), layout_.size_of(timekeeper_holder().second));
      const std::uint64_t tk = timekeeper();
      write_u64(tk + member_offset("timekeeper", "offs_real"), static_cast<std::uint64_t>(kSyntheticBootTimeNs));
      write_u64(tk + member_offset("timekeeper", "offs_boot"), 0);
    }
    // init_task: pid 0, the head of the task list, in the initial namespaces.
    const std::uint64_t init = symbol("init_task");
    image_.map(link_to_physical(kInitTaskLink), type_size("task_struct"));
    list_init(init + member_offset("task_struct", "tasks"));
    fill_task(init, TaskSpec{.pid = 0, .comm = "swapper/0", .parent = init, .kernel_thread = true});
  }

  const SyntheticKernelOptions& options() const { return options_; }
  PhysicalImageBuilder& image() { return image_; }
  PageTableBuilder& page_tables() { return tables_; }
  std::uint64_t direct_map() const { return options_.five_level ? kDirectMap5 : kDirectMap4; }
  // Physical address of the kernel's page tables (init_top_pgt), the DTB.
  std::uint64_t dtb() const { return link_to_physical(kInitTopPgtLink); }

  // Runtime (shifted) virtual address of a symbol.
  std::uint64_t symbol(std::string_view name) const {
    for (const SymbolDef& d : symbol_defs()) {
      if (d.name == name) return d.link + options_.virtual_shift;
    }
    throw std::logic_error("synthetic kernel: no symbol " + std::string(name));
  }
  // Where the timekeeper lies: in tk_core, timekeeper_data[0] or alone, as
  // the variant has it; throws when the kernel has none.
  std::uint64_t timekeeper() const {
    const auto [name, type] = timekeeper_holder();
    if (name.empty()) throw std::logic_error("synthetic kernel: no timekeeper in this variant");
    return type == "timekeeper" ? symbol(name) : symbol(name) + member_offset(type, "timekeeper");
  }

  // Offset of a member of one of this kernel's struct types (anonymous
  // members are looked through), and a type's size.
  std::uint32_t member_offset(std::string_view type, std::string_view member) const {
    return layout_.offset(type, member);
  }
  std::uint32_t type_size(std::string_view type) const { return layout_.size_of(type); }
  const synthetic_detail::Layout& layout() const { return layout_; }
  // The same in the default (6.1-like) layout, for kernels built without variants.
  static std::uint32_t offset(std::string_view type, std::string_view member) {
    return synthetic_detail::default_layout().offset(type, member);
  }
  static std::uint32_t size_of(std::string_view type) { return synthetic_detail::default_layout().size_of(type); }

  // --- memory ---------------------------------------------------------------

  // Physical address behind a kernel-image or direct-map virtual address.
  std::uint64_t physical_of(std::uint64_t virtual_address) const {
    const std::uint64_t image = kImageLink + options_.virtual_shift;
    if (virtual_address >= image && virtual_address - image < kImageSpan) {
      return virtual_address - options_.virtual_shift - kStartKernelMapLink + options_.physical_shift;
    }
    if (virtual_address >= direct_map() && virtual_address - direct_map() < kDirectMapSpan) {
      return virtual_address - direct_map();
    }
    throw std::logic_error("synthetic kernel: cannot write at unmapped virtual address");
  }
  // The direct-map address of a physical one.
  std::uint64_t virtual_of(std::uint64_t physical) const { return direct_map() + physical; }

  // Zero-filled heap memory (saved in the dump), as a direct-map address.
  std::uint64_t alloc(std::size_t size, std::size_t align = 64) {
    heap_ = (heap_ + align - 1) / align * align;
    const std::uint64_t physical = heap_;
    heap_ += std::max<std::size_t>(size, 1);
    if (heap_ > kHeapLimit) throw std::logic_error("synthetic kernel: heap full");
    image_.map(physical, std::max<std::size_t>(size, 1));
    return virtual_of(physical);
  }
  std::uint64_t alloc_struct(std::string_view type) { return alloc(type_size(type)); }
  // An object torn by the dump: an address whose first `saved` bytes end a
  // saved page, the rest lying in the next page, which the dump lacks as long
  // as nothing is written there.
  std::uint64_t alloc_before_hole(std::size_t saved) {
    if (saved == 0 || saved > kPage4K) throw std::logic_error("synthetic kernel: bad torn object");
    const std::uint64_t page = alloc(kPage4K, kPage4K);
    heap_ += kPage4K;  // nothing else is placed in the hole
    if (heap_ > kHeapLimit) throw std::logic_error("synthetic kernel: heap full");
    return page + kPage4K - saved;
  }
  // An object torn the other way: makes the next allocation (a multiple of
  // 64 bytes from its start) begin `lost` bytes before the end of a page of
  // its own, and returns where it begins. lose_page(that address), once
  // everything is written, drops that page: the object's first `lost` bytes
  // are missing from the dump, the rest is saved.
  std::uint64_t start_next_across_page(std::size_t lost) {
    if (lost == 0 || lost > kPage4K || lost % 64) throw std::logic_error("synthetic kernel: bad torn object");
    heap_ = (heap_ + kPage4K - 1) / kPage4K * kPage4K + kPage4K - lost;
    if (heap_ > kHeapLimit) throw std::logic_error("synthetic kernel: heap full");
    return virtual_of(heap_);
  }
  // Drops the page holding a virtual address from the dump (the builder's
  // later writes there bring it back, zero-filled but for them).
  void lose_page(std::uint64_t virtual_address) { image_.drop_page(physical_of(virtual_address)); }
  // A NUL-terminated copy of text on the heap.
  std::uint64_t alloc_string(std::string_view text) {
    const std::uint64_t at = alloc(text.size() + 1, 8);
    write_bytes(at, text);
    return at;
  }

  void write(std::uint64_t virtual_address, std::span<const std::byte> bytes) {
    for (std::size_t done = 0; done < bytes.size();) {  // page by page: regions need not be contiguous
      const std::uint64_t at = virtual_address + done;
      const std::size_t n = std::min<std::size_t>(bytes.size() - done, kPage4K - at % kPage4K);
      image_.write(physical_of(at), bytes.subspan(done, n));
      done += n;
    }
  }
  void write_bytes(std::uint64_t virtual_address, std::string_view text) {
    if (!text.empty()) write(virtual_address, bytes_of(text));  // bytes_of("") would memcpy to NULL
  }
  template <typename T>
  void write_le(std::uint64_t virtual_address, T value) {
    std::array<std::byte, sizeof(T)> raw;
    std::memcpy(raw.data(), &value, sizeof(T));
    write(virtual_address, raw);
  }
  void write_u64(std::uint64_t virtual_address, std::uint64_t value) {
    write_le(virtual_address, value);
    written_[virtual_address] = value;
  }
  void write_u32(std::uint64_t virtual_address, std::uint32_t value) { write_le(virtual_address, value); }
  void write_u16(std::uint64_t virtual_address, std::uint16_t value) { write_le(virtual_address, value); }
  void write_u8(std::uint64_t virtual_address, std::uint8_t value) { write_le(virtual_address, value); }
  // The pointer this builder last wrote with write_u64()/set() at a virtual
  // address (a task's struct pid, a dentry's superblock), for tests that
  // break what lies behind it.
  std::uint64_t written_pointer(std::uint64_t virtual_address) const { return written_.at(virtual_address); }
  // Writes a field by name: object + member_offset(type, member).
  void set(std::uint64_t object, std::string_view type, std::string_view member, std::uint64_t value) {
    write_u64(object + member_offset(type, member), value);
  }

  // --- lists (struct list_head) ------------------------------------------------

  void list_init(std::uint64_t head) {
    write_u64(head, head);
    write_u64(head + 8, head);
    tails_[head] = head;
  }
  void list_add_tail(std::uint64_t head, std::uint64_t node) {
    const std::uint64_t prev = tails_.at(head);
    write_u64(node, head);
    write_u64(node + 8, prev);
    write_u64(prev, node);
    write_u64(head + 8, node);
    tails_[head] = node;
  }

  // The same for an hlist (hlist_add_head: the newest node first).
  void hlist_add_head(std::uint64_t head, std::uint64_t node) {
    const std::uint64_t first = hlist_first_[head];
    write_u64(node, first);                 // next
    write_u64(node + 8, head);              // pprev: &head->first
    if (first) write_u64(first + 8, node);  // first->pprev: &node->next
    write_u64(head, node);
    hlist_first_[head] = node;
  }

  // --- namespaces -----------------------------------------------------------------

  // The namespace struct of a kind with that inode, created on first use. A
  // new network namespace is added to net_namespace_list; a new mount
  // namespace has no mounts.
  std::uint64_t ns_object(NsKind kind, std::uint64_t inum) {
    auto [it, inserted] = namespaces_.try_emplace({kind, inum}, 0);
    if (!inserted) return it->second;
    static constexpr std::string_view kTypes[] = {"uts_namespace", "ipc_namespace", "mnt_namespace", "net",
                                                  "pid_namespace", "user_namespace", "cgroup_namespace"};
    const std::string_view type = kTypes[static_cast<int>(kind)];
    const std::uint64_t ns = alloc_struct(type);
    write_u32(ns + ns_inum_offset(type), static_cast<std::uint32_t>(inum));
    if (kind == NsKind::mnt && layout_.has("mnt_namespace", "list")) {
      list_init(ns + member_offset("mnt_namespace", "list"));
    }
    if (kind == NsKind::net) {
      list_init(ns + member_offset("net", "dev_base_head"));
      list_add_tail(symbol("net_namespace_list"), ns + member_offset("net", "list"));
    }
    it->second = ns;
    return ns;
  }
  // Where a namespace struct of `type` keeps its inode number: ns.inum, or
  // proc_inum before 3.19.
  std::uint32_t ns_inum_offset(std::string_view type) const {
    if (layout_.has(type, "proc_inum")) return member_offset(type, "proc_inum");
    return member_offset(type, "ns") + member_offset("ns_common", "inum");
  }

  // --- tasks ---------------------------------------------------------------------------

  // A task_struct with its cred, nsproxy, struct pid (and cgroup, fs_struct
  // when asked), appended to init_task's task list (or, for a thread, to its
  // leader's thread list). Returns the task_struct address.
  std::uint64_t add_task(const TaskSpec& spec) {
    const std::uint64_t task = alloc_struct("task_struct");
    fill_task(task, spec);
    if (spec.thread_of == 0) {
      list_add_tail(symbol("init_task") + member_offset("task_struct", "tasks"),
                    task + member_offset("task_struct", "tasks"));
    }
    return task;
  }

  // Where a task keeps its struct pid pointer: thread_pid, or pids[PIDTYPE_PID].pid.
  std::uint64_t thread_pid_slot(std::uint64_t task) const {
    if (layout_.has("task_struct", "thread_pid")) return task + member_offset("task_struct", "thread_pid");
    return task + member_offset("task_struct", "pids") + member_offset("pid_link", "pid");
  }

  // Points task->fs at a new fs_struct whose root is (mount, dentry).
  void set_fs_root(std::uint64_t task, std::uint64_t mount, std::uint64_t dentry = 0) {
    const std::uint64_t fs = alloc_struct("fs_struct");
    const std::uint64_t root = fs + member_offset("fs_struct", "root");
    write_u64(root + member_offset("path", "mnt"), mount + vfsmount_in_mount());
    write_u64(root + member_offset("path", "dentry"), dentry ? dentry : mount_root(mount));
    set(task, "task_struct", "fs", fs);
  }

  // --- filesystems ---------------------------------------------------------------------

  // A negative dentry named `name` under `parent` (0: a filesystem root, its
  // own parent), linked into the parent's children. A name of under 40
  // bytes lies in d_shortname where the layout has it (6.14+).
  std::uint64_t add_dentry(std::string_view name, std::uint64_t parent = 0, std::uint64_t super_block = 0) {
    const std::uint64_t d = alloc_struct("dentry");
    const std::uint64_t qstr = d + member_offset("dentry", "d_name");
    std::uint64_t text = 0;
    if (layout_.has("dentry", "d_shortname") && name.size() < 40) {
      text = d + member_offset("dentry", "d_shortname");
      write_bytes(text, name);
    } else {
      text = alloc_string(name);
    }
    write_u32(qstr + member_offset("qstr", "len"), static_cast<std::uint32_t>(name.size()));
    write_u64(qstr + member_offset("qstr", "name"), text);
    set(d, "dentry", "d_parent", parent ? parent : d);
    set(d, "dentry", "d_sb", super_block);
    if (layout_.has("dentry", "d_subdirs")) {
      list_init(d + member_offset("dentry", "d_subdirs"));
      if (parent) list_add_tail(parent + member_offset("dentry", "d_subdirs"), d + member_offset("dentry", "d_child"));
    } else if (parent) {
      hlist_add_head(parent + member_offset("dentry", "d_children"), d + member_offset("dentry", "d_sib"));
    }
    return d;
  }

  // A dentry named `name` under `parent` with a new inode.
  std::uint64_t add_file(std::string_view name, std::uint64_t parent, const InodeSpec& spec) {
    const std::uint64_t d = add_dentry(name, parent);
    set(d, "dentry", "d_inode", add_inode(spec));
    return d;
  }
  std::uint64_t add_inode(const InodeSpec& spec) {
    const std::uint64_t inode = alloc_struct("inode");
    write_u16(inode + member_offset("inode", "i_mode"), spec.mode);
    write_u32(inode + member_offset("inode", "i_uid"), spec.uid);
    write_u32(inode + member_offset("inode", "i_gid"), spec.gid);
    write_u64(inode + member_offset("inode", "i_ino"), spec.ino);
    write_u64(inode + member_offset("inode", "i_size"), static_cast<std::uint64_t>(spec.size));
    write_inode_time(inode, "atime", spec.atime_ns);
    write_inode_time(inode, "mtime", spec.mtime_ns);
    write_inode_time(inode, "ctime", spec.ctime_ns);
    return inode;
  }
  // One inode time, wherever the layout keeps it: i_<which>_sec/_nsec, or
  // the timespec64 __i_<which> or i_<which>.
  void write_inode_time(std::uint64_t inode, std::string_view which, std::int64_t unix_ns) {
    const std::string name(which);
    const auto sec = static_cast<std::uint64_t>(unix_ns / 1'000'000'000);
    const auto nsec = static_cast<std::uint32_t>(unix_ns % 1'000'000'000);
    if (layout_.has("inode", "i_" + name + "_sec")) {
      write_u64(inode + member_offset("inode", "i_" + name + "_sec"), sec);
      write_u32(inode + member_offset("inode", "i_" + name + "_nsec"), nsec);
      return;
    }
    const std::string member = layout_.has("inode", "__i_" + name) ? "__i_" + name : "i_" + name;
    const std::uint64_t at = inode + member_offset("inode", member);
    write_u64(at + member_offset("timespec64", "tv_sec"), sec);
    write_u64(at + member_offset("timespec64", "tv_nsec"), nsec);
  }

  // A superblock of `fstype` with a root dentry "/" (a directory, inode 2).
  std::uint64_t add_super_block(std::string_view fstype, bool read_only = false) {
    const std::uint64_t sb = alloc_struct("super_block");
    const std::uint64_t fs_type = alloc_struct("file_system_type");
    set(fs_type, "file_system_type", "name", alloc_string(fstype));
    set(sb, "super_block", "s_type", fs_type);
    set(sb, "super_block", "s_flags", read_only ? 1 : 0);
    const std::uint64_t root = add_dentry("/", 0, sb);
    set(root, "dentry", "d_inode", add_inode({.ino = 2, .mode = 040755}));
    set(sb, "super_block", "s_root", root);
    return sb;
  }

  // A mount (struct mount, or vfsmount before 3.3) in the mount namespace
  // `mnt_ns` (from ns_object(NsKind::mnt, ...)), appended to its mount list or
  // put in its mount tree.
  std::uint64_t add_mount(std::uint64_t mnt_ns, const MountSpec& spec) {
    const std::string_view type = mount_type();
    const std::uint64_t m = alloc_struct(type);
    const std::uint64_t vfs = m + vfsmount_in_mount();
    std::uint64_t root = spec.root;
    std::uint64_t sb = 0;
    if (root == 0) {
      sb = add_super_block(spec.fstype, (spec.flags & 0x40) != 0);
      root = written_pointer(sb + member_offset("super_block", "s_root"));
    }
    write_u64(vfs + member_offset("vfsmount", "mnt_root"), root);
    write_u64(vfs + member_offset("vfsmount", "mnt_sb"),
              sb ? sb : written_pointer(root + member_offset("dentry", "d_sb")));
    write_u32(vfs + member_offset("vfsmount", "mnt_flags"), spec.flags);
    set(m, type, "mnt_parent", spec.parent ? spec.parent : m);
    set(m, type, "mnt_mountpoint", spec.mountpoint ? spec.mountpoint : root);
    set(m, type, "mnt_ns", mnt_ns);
    set(m, type, "mnt_devname", alloc_string(spec.devname));
    write_u32(m + member_offset(type, "mnt_id"), static_cast<std::uint32_t>(spec.id));
    index_mount(mnt_ns, m, spec.id);
    if (spec.parent == 0) set(mnt_ns, "mnt_namespace", "root", m);
    roots_[m] = root;
    return m;
  }
  std::uint64_t mount_root(std::uint64_t mount) const { return roots_.at(mount); }
  // What a mount is: struct mount, or vfsmount before 3.3; and where its
  // vfsmount lies in it.
  std::string_view mount_type() const { return layout_.find_type("mount") ? "mount" : "vfsmount"; }
  std::uint32_t vfsmount_in_mount() const { return layout_.find_type("mount") ? member_offset("mount", "mnt") : 0; }

  // --- network ----------------------------------------------------------------------------

  // A net_device in the network namespace `net` (from ns_object(NsKind::net, ...)).
  std::uint64_t add_net_device(std::uint64_t net, const NetDeviceSpec& spec) {
    const std::uint64_t dev = alloc_struct("net_device");
    write_bytes(dev + member_offset("net_device", "name"), spec.name.substr(0, 16));
    write_u32(dev + member_offset("net_device", "ifindex"), static_cast<std::uint32_t>(spec.ifindex));
    // IFF_UP, and IFF_LOOPBACK on a loopback device, as loopback_setup() sets it.
    write_u32(dev + member_offset("net_device", "flags"), (spec.up ? 0x1 : 0x0) | (spec.type == 772 ? 0x8 : 0x0));
    write_u16(dev + member_offset("net_device", "type"), spec.type);
    const std::uint64_t adj = dev + member_offset("net_device", "adj_list");
    list_init(adj + member_offset("netdev_adj_list", "upper"));
    list_init(adj + member_offset("netdev_adj_list", "lower"));
    if (!spec.mac.empty()) {
      Bytes mac;
      for (std::size_t i = 0; i < spec.mac.size(); i += 3) {
        mac.push_back(std::byte(static_cast<std::uint8_t>(std::stoul(spec.mac.substr(i, 2), nullptr, 16))));
      }
      if (options_.variants.dev_addr == DevAddr::pointer) {
        const std::uint64_t addr = alloc(32, 8);
        write(addr, mac);
        set(dev, "net_device", "dev_addr", addr);
      } else {
        write(dev + member_offset("net_device", "dev_addr"), mac);
      }
      write_u8(dev + member_offset("net_device", "addr_len"), static_cast<std::uint8_t>(mac.size()));
    }
    if (!spec.kind.empty()) {
      const std::uint64_t ops = alloc_struct("rtnl_link_ops");
      set(ops, "rtnl_link_ops", "kind", alloc_string(spec.kind));
      set(dev, "net_device", "rtnl_link_ops", ops);
    }
    list_add_tail(net + member_offset("net", "dev_base_head"), dev + member_offset("net_device", "dev_list"));
    return dev;
  }

  // Appends an IPv4 address ("10.0.0.1") to the device's in_device.ifa_list;
  // returns the in_ifaddr.
  std::uint64_t add_ipv4(std::uint64_t dev, std::string_view address, std::uint8_t prefix) {
    auto [it, inserted] = ipv4_tails_.try_emplace(dev, 0);
    if (inserted) {
      const std::uint64_t in = alloc_struct("in_device");
      set(dev, "net_device", "ip_ptr", in);
      it->second = in + member_offset("in_device", "ifa_list");  // where the next pointer goes
    }
    const std::uint64_t ifa = alloc_struct("in_ifaddr");
    std::uint32_t local = 0;  // network byte order, as the kernel keeps it
    if (inet_pton(AF_INET, std::string(address).c_str(), &local) != 1) throw std::logic_error("bad IPv4 address");
    write_u32(ifa + member_offset("in_ifaddr", "ifa_local"), local);
    write_u8(ifa + member_offset("in_ifaddr", "ifa_prefixlen"), prefix);
    write_u64(it->second, ifa);
    it->second = ifa + member_offset("in_ifaddr", "ifa_next");
    return ifa;
  }

  // Appends an IPv6 address ("fe80::1") to the device's inet6_dev.addr_list.
  std::uint64_t add_ipv6(std::uint64_t dev, std::string_view address, std::uint32_t prefix) {
    auto [it, inserted] = ipv6_devs_.try_emplace(dev, 0);
    if (inserted) {
      it->second = alloc_struct("inet6_dev");
      list_init(it->second + member_offset("inet6_dev", "addr_list"));
      set(dev, "net_device", "ip6_ptr", it->second);
    }
    const std::uint64_t ifa = alloc_struct("inet6_ifaddr");
    std::array<std::byte, 16> raw{};
    if (inet_pton(AF_INET6, std::string(address).c_str(), raw.data()) != 1) throw std::logic_error("bad IPv6 address");
    write(ifa + member_offset("inet6_ifaddr", "addr"), raw);
    write_u32(ifa + member_offset("inet6_ifaddr", "prefix_len"), prefix);
    list_add_tail(it->second + member_offset("inet6_dev", "addr_list"), ifa + member_offset("inet6_ifaddr", "if_list"));
    return ifa;
  }

  // Makes `master` (a bridge) the master of `port`: a netdev_adjacent on the
  // port's upper list.
  void set_master(std::uint64_t port, std::uint64_t master) {
    const std::uint64_t adjacent = alloc_struct("netdev_adjacent");
    set(adjacent, "netdev_adjacent", "dev", master);
    write_u8(adjacent + member_offset("netdev_adjacent", "master"), 1);
    list_add_tail(port + member_offset("net_device", "adj_list") + member_offset("netdev_adj_list", "upper"),
                  adjacent + member_offset("netdev_adjacent", "list"));
  }

  // --- output -------------------------------------------------------------------------

  // The ISF JSON of the synthetic layout and symbols.
  std::string isf_json() const {
    using namespace synthetic_detail;
    std::string out = R"({"metadata": {"producer": {"name": "drydock-synthetic", "version": "1"}, "format": "6.2.0"},)";
    out += "\n \"base_types\": {";
    const std::tuple<std::string_view, int, bool> bases[] = {
        {"char", 1, true}, {"unsigned char", 1, false}, {"_Bool", 1, false}, {"short unsigned int", 2, false},
        {"int", 4, true},  {"unsigned int", 4, false},  {"long unsigned int", 8, false}, {"long int", 8, true},
        {"long long int", 8, true}, {"void", 0, false}};
    bool first = true;
    for (const auto& [name, size, is_signed] : bases) {
      out += std::string(first ? "" : ",") + "\n  \"" + std::string(name) + R"(": {"size": )" + std::to_string(size) +
             R"(, "signed": )" + (is_signed ? "true" : "false") + R"(, "kind": ")" +
             (name == "void" ? "void" : name == "_Bool" ? "bool" : size == 1 ? "char" : "int") +
             R"(", "endian": "little"})";
      first = false;
    }
    out += "},\n \"user_types\": {";
    first = true;
    for (const Type& t : layout_.types()) {
      out += std::string(first ? "" : ",") + "\n  \"" + std::string(t.name) + R"(": {"kind": ")" +
             (t.is_union ? "union" : "struct") + R"(", "size": )" + std::to_string(t.size) + R"(, "fields": {)";
      bool first_field = true;
      for (const Field& f : t.fields) {
        if (std::find(options_.omitted_members.begin(), options_.omitted_members.end(),
                      std::pair<std::string, std::string>(t.name, f.name)) != options_.omitted_members.end()) {
          continue;
        }
        out += std::string(first_field ? "" : ", ") + "\"" + std::string(f.name) + R"(": {"type": )" + f.type +
               R"(, "offset": )" + std::to_string(f.offset) + (f.anonymous.empty() ? "" : R"(, "anonymous": true)") +
               "}";
        first_field = false;
      }
      out += "}}";
      first = false;
    }
    out += "},\n \"enums\": {},\n \"symbols\": {";
    std::string isf_banner = options_.isf_banner.value_or(options_.banner) + "\n";
    isf_banner.push_back('\0');
    first = true;
    for (const SymbolDef& d : symbol_defs()) {
      if (d.name == "vmcoreinfo_note" && !options_.vmcoreinfo) continue;
      if (d.name == "__pgtable_l5_enabled" && !options_.five_level) continue;
      out += std::string(first ? "" : ",") + "\n  \"" + std::string(d.name) + R"(": {"address": )" +
             std::to_string(d.link) + R"(, "type": )" + d.type;
      if (d.name == "linux_banner") out += R"(, "constant_data": ")" + base64(isf_banner) + "\"";
      out += "}";
      first = false;
    }
    out += "}\n}\n";
    return out;
  }

  Bytes image_bytes(ImageFormat format = ImageFormat::lime) const {
    switch (format) {
      case ImageFormat::lime: return image_.lime();
      case ImageFormat::elf_core: return image_.elf_core();
      case ImageFormat::raw: return image_.raw();
    }
    return {};
  }

  std::shared_ptr<const SymbolTable> symbols() const {
    auto parsed = SymbolTable::parse(isf_json(), "synthetic.json");
    if (!parsed) throw std::runtime_error(parsed.error().message);
    return std::move(parsed).value();
  }

  // Builds the image, opens it and locates the kernel as drydock does, with
  // `memory_budget` bytes for what the walkers keep.
  std::unique_ptr<LoadedKernel> load(ImageFormat format = ImageFormat::lime,
                                     std::uint64_t memory_budget = UINT64_MAX) const {
    auto loaded = std::make_unique<LoadedKernel>();
    loaded->file = image_bytes(format);
    auto memory = PhysicalMemory::from_bytes(loaded->file, "synthetic.img");
    if (!memory) throw std::runtime_error(memory.error().message);
    loaded->memory = std::make_unique<PhysicalMemory>(std::move(memory).value());
    loaded->symbols = symbols();
    auto location = locate_kernel(*loaded->memory, *loaded->symbols);
    if (!location) throw std::runtime_error(location.error().message);
    loaded->kernel = std::make_unique<KernelMemory>(*loaded->memory, loaded->symbols, std::move(location).value(),
                                                    std::make_shared<MemoryBudget>(memory_budget));
    return loaded;
  }

 private:
  struct SymbolDef {
    std::string_view name;
    std::uint64_t link;
    std::string type;  // ISF type descriptor JSON
  };
  // The symbols: the timekeeper's holder as the variant has it, at one address.
  std::vector<SymbolDef> symbol_defs() const {
    using namespace synthetic_detail;
    std::vector<SymbolDef> defs{{"linux_banner", kLinuxBannerLink, array(0, base("char"))},
                                {"init_top_pgt", kInitTopPgtLink, array(512, base("long unsigned int"))},
                                {"init_task", kInitTaskLink, struct_("task_struct")},
                                {"net_namespace_list", kNetNamespaceListLink, struct_("list_head")},
                                {"socket_file_ops", kSocketFileOpsLink, struct_("file_operations")},
                                {"vmcoreinfo_note", kVmcoreinfoNoteLink, pointer(base("unsigned int"))},
                                {"__pgtable_l5_enabled", kPgtableL5EnabledLink, base("unsigned int")}};
    // timekeeper_data is an array of TIMEKEEPERS_MAX struct tk_data.
    if (const auto [name, type] = timekeeper_holder(); !name.empty()) {
      defs.push_back({name, kTkCoreLink, type == "tk_data" ? array(2, struct_(type)) : struct_(type)});
    }
    return defs;
  }
  // The timekeeper's symbol and the type it has there (a struct holding
  // the timekeeper, or the timekeeper itself); empty for none.
  std::pair<std::string_view, std::string_view> timekeeper_holder() const {
    switch (options_.variants.timekeeper) {
      case TimekeeperHolder::tk_core: return {"tk_core", "tk_core_t"};
      case TimekeeperHolder::timekeeper_data: return {"timekeeper_data", "tk_data"};
      case TimekeeperHolder::bare: return {"timekeeper", "timekeeper"};
      case TimekeeperHolder::none: break;
    }
    return {};
  }

  std::uint64_t link_to_physical(std::uint64_t link) const {
    return link - kStartKernelMapLink + options_.physical_shift;
  }

  void fill_task(std::uint64_t task, const TaskSpec& spec) {
    const auto field = [&](std::string_view member) { return task + member_offset("task_struct", member); };
    write_u32(field("pid"), static_cast<std::uint32_t>(spec.pid));
    write_u32(field("tgid"), static_cast<std::uint32_t>(spec.tgid ? spec.tgid : spec.pid));
    write_bytes(field("comm"), std::string_view(spec.comm).substr(0, 16));
    write_u32(field("flags"), spec.kernel_thread ? kPfKthread : 0);
    write_u64(field("real_parent"), spec.parent ? spec.parent : symbol("init_task"));
    if (layout_.has("task_struct", "__state")) {
      write_u32(field("__state"), spec.state);
    } else {
      write_u64(field("state"), spec.state);  // a long before 5.14
    }
    write_u32(field("exit_state"), spec.exit_state);
    write_u64(field(layout_.has("task_struct", "start_boottime") ? "start_boottime" : "real_start_time"),
              spec.start_boottime);

    const std::uint64_t cred = alloc_struct("cred");
    const auto c = [&](std::string_view member) { return cred + member_offset("cred", member); };
    for (auto m : {"uid", "suid", "euid", "fsuid"}) write_u32(c(m), spec.uid);
    for (auto m : {"gid", "sgid", "egid", "fsgid"}) write_u32(c(m), spec.gid);
    // u64 val and u32 cap[2] hold the same bytes; a 4-byte kernel_cap_t the low half.
    const auto cap = [&](std::string_view member, std::uint64_t value) {
      if (type_size("kernel_cap_t") == 8) {
        write_u64(c(member), value);
      } else {
        write_u32(c(member), static_cast<std::uint32_t>(value));
      }
    };
    cap("cap_effective", spec.cap_effective);
    cap("cap_permitted", spec.cap_permitted);
    cap("cap_bset", spec.cap_bset);
    write_u64(c("user_ns"), ns_object(NsKind::user, spec.ns.user));
    write_u64(field("real_cred"), cred);

    const std::uint64_t nsproxy = alloc_struct("nsproxy");
    const auto n = [&](std::string_view member) { return nsproxy + member_offset("nsproxy", member); };
    write_u64(n("uts_ns"), ns_object(NsKind::uts, spec.ns.uts));
    write_u64(n("ipc_ns"), ns_object(NsKind::ipc, spec.ns.ipc));
    write_u64(n("mnt_ns"), ns_object(NsKind::mnt, spec.ns.mnt));
    write_u64(n("pid_ns_for_children"), ns_object(NsKind::pid, spec.ns.pid));
    write_u64(n("net_ns"), ns_object(NsKind::net, spec.ns.net));
    write_u64(n("cgroup_ns"), ns_object(NsKind::cgroup, spec.ns.cgroup));
    write_u64(field("nsproxy"), nsproxy);

    // struct pid: level 0 in the host's PID namespace, level 1 when in another.
    const bool nested = spec.ns.pid != kHostNamespaces.pid;
    const std::uint64_t upid_size = type_size("upid");
    const std::uint64_t pid = alloc(type_size("pid") + upid_size);
    write_u32(pid + member_offset("pid", "level"), nested ? 1 : 0);
    const std::uint64_t numbers = pid + member_offset("pid", "numbers");
    write_u32(numbers + member_offset("upid", "nr"), static_cast<std::uint32_t>(spec.pid));
    write_u64(numbers + member_offset("upid", "ns"), ns_object(NsKind::pid, kHostNamespaces.pid));
    if (nested) {
      write_u32(numbers + upid_size + member_offset("upid", "nr"),
                static_cast<std::uint32_t>(spec.ns_pid ? spec.ns_pid : spec.pid));
      write_u64(numbers + upid_size + member_offset("upid", "ns"), ns_object(NsKind::pid, spec.ns.pid));
    }
    write_u64(thread_pid_slot(task), pid);

    // Threads share their leader's signal_struct and hang off its thread_head
    // or, before 3.14, off the leader's thread_group.
    const std::uint64_t signal = spec.thread_of ? written_pointer(spec.thread_of + member_offset("task_struct", "signal"))
                                                : alloc_struct("signal_struct");
    write_u64(field("signal"), signal);
    const bool thread_head = layout_.has("signal_struct", "thread_head");
    const std::uint64_t threads = thread_head ? signal + member_offset("signal_struct", "thread_head")
                                              : (spec.thread_of ? spec.thread_of : task) + member_offset("task_struct", "thread_group");
    if (!spec.thread_of) list_init(threads);
    if (thread_head || spec.thread_of) list_add_tail(threads, field(thread_head ? "thread_node" : "thread_group"));

    if (!spec.cgroup.empty()) write_u64(field("cgroups"), css_set_for(spec.cgroup));
    if (spec.root_mount) set_fs_root(task, spec.root_mount, spec.root_dentry);
  }

  // A css_set whose default cgroup has the kernfs path `path`.
  std::uint64_t css_set_for(const std::string& path) {
    std::uint64_t node = kernfs_node("", 0);  // the hierarchy's root
    for (std::size_t at = 1; at < path.size();) {
      const std::size_t end = std::min(path.find('/', at), path.size());
      node = kernfs_node(path.substr(at, end - at), node);
      at = end + 1;
    }
    const std::uint64_t cgroup = alloc_struct("cgroup");
    set(cgroup, "cgroup", "kn", node);
    const std::uint64_t css = alloc_struct("css_set");
    set(css, "css_set", "dfl_cgrp", cgroup);
    return css;
  }
  std::uint64_t kernfs_node(const std::string& name, std::uint64_t parent) {
    auto [it, inserted] = kernfs_.try_emplace({parent, name}, 0);
    if (inserted) {
      it->second = alloc_struct("kernfs_node");
      set(it->second, "kernfs_node", layout_.has("kernfs_node", "__parent") ? "__parent" : "parent", parent);
      set(it->second, "kernfs_node", "name", alloc_string(name));
    }
    return it->second;
  }

  // Links a mount into its namespace's list or, from 6.8, its rb-tree of
  // mounts ordered by id (rebuilt balanced after each insertion).
  void index_mount(std::uint64_t mnt_ns, std::uint64_t mount, std::int32_t id) {
    if (layout_.has("mnt_namespace", "list")) {
      list_add_tail(mnt_ns + member_offset("mnt_namespace", "list"), mount + member_offset(mount_type(), "mnt_list"));
      return;
    }
    auto& mounts = tree_mounts_[mnt_ns];
    const std::pair<std::int32_t, std::uint64_t> entry{id, mount};
    mounts.insert(std::upper_bound(mounts.begin(), mounts.end(), entry), entry);
    const std::uint64_t root = build_tree(mounts, 0, mounts.size(), 0);
    write_u64(mnt_ns + member_offset("mnt_namespace", "mounts") + member_offset("rb_root", "rb_node"), root);
  }
  std::uint64_t build_tree(const std::vector<std::pair<std::int32_t, std::uint64_t>>& mounts, std::size_t first,
                           std::size_t last, std::uint64_t parent) {
    if (first == last) return 0;
    const std::size_t middle = first + (last - first) / 2;
    const std::uint64_t node = mounts[middle].second + member_offset("mount", "mnt_node");
    const std::uint32_t left = member_offset("rb_node", "rb_left"), right = member_offset("rb_node", "rb_right");
    // The slots a walker assuming another rb_node layout would follow.
    for (std::uint32_t slot = 8; slot + 8 <= type_size("rb_node"); slot += 8) {
      if (slot != left && slot != right) write_u64(node + slot, kUnmappedAddress);
    }
    write_u64(node + member_offset("rb_node", "__rb_parent_color"), parent | 1);  // black
    write_u64(node + left, build_tree(mounts, first, middle, node));
    write_u64(node + right, build_tree(mounts, middle + 1, last, node));
    return node;
  }

  SyntheticKernelOptions options_;
  synthetic_detail::Layout layout_;
  PhysicalImageBuilder image_;
  PageTableBuilder tables_;
  std::uint64_t heap_ = kHeapPhysical;
  std::map<std::uint64_t, std::uint64_t> tails_;                    // list head -> last node
  std::map<std::uint64_t, std::uint64_t> hlist_first_;              // hlist head -> first node
  std::map<std::uint64_t, std::vector<std::pair<std::int32_t, std::uint64_t>>> tree_mounts_;  // mnt_ns -> (id, mount)
  std::map<std::pair<NsKind, std::uint64_t>, std::uint64_t> namespaces_;
  std::map<std::pair<std::uint64_t, std::string>, std::uint64_t> kernfs_;
  std::map<std::uint64_t, std::uint64_t> ipv4_tails_;               // net_device -> where the next ifa goes
  std::map<std::uint64_t, std::uint64_t> ipv6_devs_;                // net_device -> inet6_dev
  std::map<std::uint64_t, std::uint64_t> roots_;                    // mount -> root dentry
  // u64 writes, so the builder can read back its own pointers (a thread
  // leader's signal, a dentry's superblock).
  std::map<std::uint64_t, std::uint64_t> written_;
};

}  // namespace drydock::testing
