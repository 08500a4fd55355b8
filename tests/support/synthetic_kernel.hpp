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
//   k.write_u64(sh + k.offset("task_struct", "real_cred"), testing::kUnmappedAddress);
//   auto loaded = k.load();                        // throws if the kernel is not found
//   auto result = walk_tasks(*loaded->kernel);
//
// Layout: the struct offsets below are this file's own, deliberately unlike
// any real kernel's, so a walker that hard-codes an offset fails here. The
// same table produces the ISF and is what offset() answers from.
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

// --- the struct layout (one table: the ISF and offset() both come from it) ------

namespace synthetic_detail {

struct Field {
  std::string_view name;
  std::uint32_t offset;
  std::string type;  // ISF type descriptor JSON
};

struct Type {
  std::string_view name;
  std::uint32_t size;
  std::vector<Field> fields;
};

inline std::string base(std::string_view name) { return R"({"kind": "base", "name": ")" + std::string(name) + "\"}"; }
inline std::string struct_(std::string_view name) {
  return R"({"kind": "struct", "name": ")" + std::string(name) + "\"}";
}
inline std::string pointer(const std::string& subtype) { return R"({"kind": "pointer", "subtype": )" + subtype + "}"; }
inline std::string ptr(std::string_view struct_name) { return pointer(struct_(struct_name)); }
inline std::string array(std::uint32_t count, const std::string& subtype) {
  return R"({"kind": "array", "count": )" + std::to_string(count) + R"(, "subtype": )" + subtype + "}";
}

inline const std::vector<Type>& layout() {
  static const std::vector<Type> types = [] {
    const std::string u8 = base("unsigned char"), u16 = base("short unsigned int"), u32 = base("unsigned int");
    const std::string i32 = base("int"), u64 = base("long unsigned int"), chars16 = array(16, base("char"));
    const std::string char_ptr = pointer(base("char")), void_ptr = pointer(base("void"));
    const std::string list = struct_("list_head"), ns = struct_("ns_common"), cap = struct_("kernel_cap_t");
    return std::vector<Type>{
        {"list_head", 16, {{"next", 0, ptr("list_head")}, {"prev", 8, ptr("list_head")}}},
        {"ns_common", 0x18, {{"stashed", 0x0, void_ptr}, {"inum", 0x10, u32}}},
        {"kernel_cap_t", 8, {{"val", 0, u64}}},
        {"seccomp", 0x10, {{"mode", 0x0, i32}, {"filter", 0x8, void_ptr}}},
        {"task_struct", 0x980,
         {{"__state", 0x18, u32},
          {"flags", 0x2c, u32},
          {"tasks", 0x4d0, list},
          {"mm", 0x4f0, ptr("mm_struct")},
          {"exit_state", 0x590, i32},
          {"pid", 0x5a4, i32},
          {"tgid", 0x5a8, i32},
          {"real_parent", 0x5b8, ptr("task_struct")},
          {"thread_pid", 0x600, ptr("pid")},
          {"thread_node", 0x640, list},
          {"atomic_flags", 0x6a0, u64},
          {"start_boottime", 0x6d8, u64},
          {"real_cred", 0x748, ptr("cred")},
          {"comm", 0x760, chars16},
          {"fs", 0x7a8, ptr("fs_struct")},
          {"nsproxy", 0x7b8, ptr("nsproxy")},
          {"seccomp", 0x7d8, struct_("seccomp")},
          {"signal", 0x7f0, ptr("signal_struct")},
          {"cgroups", 0x8c0, ptr("css_set")}}},
        {"signal_struct", 0x400, {{"thread_head", 0x18, list}}},
        {"cred", 0xb0,
         {{"uid", 0x08, u32}, {"gid", 0x0c, u32}, {"suid", 0x10, u32}, {"sgid", 0x14, u32},
          {"euid", 0x18, u32}, {"egid", 0x1c, u32}, {"fsuid", 0x20, u32}, {"fsgid", 0x24, u32},
          {"cap_inheritable", 0x30, cap}, {"cap_permitted", 0x38, cap}, {"cap_effective", 0x40, cap},
          {"cap_bset", 0x48, cap}, {"cap_ambient", 0x50, cap}, {"user_ns", 0x90, ptr("user_namespace")}}},
        {"nsproxy", 0x48,
         {{"uts_ns", 0x10, ptr("uts_namespace")}, {"ipc_ns", 0x18, ptr("ipc_namespace")},
          {"mnt_ns", 0x20, ptr("mnt_namespace")}, {"pid_ns_for_children", 0x28, ptr("pid_namespace")},
          {"net_ns", 0x30, ptr("net")}, {"cgroup_ns", 0x40, ptr("cgroup_namespace")}}},
        {"new_utsname", 0x186, {{"sysname", 0x0, array(65, base("char"))}, {"nodename", 0x41, array(65, base("char"))}}},
        {"uts_namespace", 0x1c0, {{"name", 0x4, struct_("new_utsname")}, {"ns", 0x190, ns}}},
        {"mm_struct", 0x400, {{"pgd", 0x48, pointer(u64)}, {"arg_start", 0x130, u64}, {"arg_end", 0x138, u64}}},
        {"timekeeper", 0x140, {{"offs_real", 0x90, u64}, {"offs_boot", 0x98, u64}}},
        {"tk_core_t", 0x200, {{"seq", 0x0, u32}, {"timekeeper", 0x8, struct_("timekeeper")}}},
        {"ipc_namespace", 0x900, {{"ns", 0x8b0, ns}}},
        {"pid_namespace", 0xa0, {{"ns", 0x78, ns}}},
        {"user_namespace", 0x260, {{"ns", 0x108, ns}}},
        {"cgroup_namespace", 0x40, {{"ns", 0x08, ns}}},
        {"mnt_namespace", 0x90, {{"ns", 0x08, ns}, {"root", 0x28, ptr("mount")}, {"list", 0x40, list}}},
        {"net", 0x300, {{"list", 0x28, list}, {"ns", 0xa8, ns}, {"dev_base_head", 0xd0, list}}},
        {"pid", 0x70, {{"level", 0x08, u32}, {"numbers", 0x60, array(1, struct_("upid"))}}},
        {"upid", 0x18, {{"nr", 0x08, i32}, {"ns", 0x10, ptr("pid_namespace")}}},
        {"css_set", 0x100, {{"dfl_cgrp", 0x88, ptr("cgroup")}}},
        {"cgroup", 0x400, {{"kn", 0x108, ptr("kernfs_node")}}},
        {"kernfs_node", 0x80, {{"parent", 0x10, ptr("kernfs_node")}, {"name", 0x18, char_ptr}}},
        {"fs_struct", 0x38, {{"root", 0x18, struct_("path")}, {"pwd", 0x28, struct_("path")}}},
        {"path", 0x10, {{"mnt", 0x0, ptr("vfsmount")}, {"dentry", 0x8, ptr("dentry")}}},
        {"vfsmount", 0x20, {{"mnt_root", 0x0, ptr("dentry")}, {"mnt_sb", 0x8, ptr("super_block")}, {"mnt_flags", 0x10, i32}}},
        {"mount", 0x160,
         {{"mnt_parent", 0x10, ptr("mount")},
          {"mnt_mountpoint", 0x18, ptr("dentry")},
          {"mnt", 0x20, struct_("vfsmount")},
          {"mnt_list", 0xa0, list},
          {"mnt_ns", 0xe8, ptr("mnt_namespace")},
          {"mnt_devname", 0xf8, char_ptr},
          {"mnt_id", 0x124, i32}}},
        {"qstr", 0x10, {{"hash", 0x0, u32}, {"len", 0x4, u32}, {"name", 0x8, pointer(base("unsigned char"))}}},
        {"dentry", 0xc0,
         {{"d_parent", 0x18, ptr("dentry")}, {"d_name", 0x20, struct_("qstr")}, {"d_inode", 0x30, void_ptr},
          {"d_sb", 0x98, ptr("super_block")}}},
        {"super_block", 0x600,
         {{"s_dev", 0x10, u32}, {"s_type", 0x28, ptr("file_system_type")}, {"s_flags", 0x50, u64},
          {"s_root", 0x68, ptr("dentry")}, {"s_fs_info", 0x3f0, void_ptr}, {"s_subtype", 0x4b8, char_ptr}}},
        {"file_system_type", 0x48, {{"name", 0x0, char_ptr}}},
        {"netdev_adj_list", 0x20, {{"upper", 0x0, list}, {"lower", 0x10, list}}},
        {"net_device", 0x980,
         {{"name", 0x08, chars16},
          {"dev_list", 0x58, list},
          {"adj_list", 0x98, struct_("netdev_adj_list")},
          {"flags", 0xe0, u32},
          {"ifindex", 0xf0, i32},
          {"type", 0x23a, u16},
          {"addr_len", 0x23c, u8},
          {"dev_addr", 0x2f8, pointer(base("unsigned char"))},
          {"ip_ptr", 0x330, ptr("in_device")},
          {"ip6_ptr", 0x340, ptr("inet6_dev")},
          {"rtnl_link_ops", 0x3a8, ptr("rtnl_link_ops")}}},
        {"rtnl_link_ops", 0x100, {{"kind", 0x10, char_ptr}}},
        {"netdev_adjacent", 0x40, {{"dev", 0x0, ptr("net_device")}, {"master", 0x8, base("_Bool")}, {"list", 0x18, list}}},
        {"in_device", 0x100, {{"ifa_list", 0x20, ptr("in_ifaddr")}}},
        {"in_ifaddr", 0x50, {{"ifa_next", 0x08, ptr("in_ifaddr")}, {"ifa_local", 0x1c, u32}, {"ifa_prefixlen", 0x29, u8}}},
        {"in6_addr", 0x10, {{"s6_addr", 0x0, array(16, base("unsigned char"))}}},
        {"inet6_dev", 0x200, {{"addr_list", 0x18, list}}},
        {"inet6_ifaddr", 0x100, {{"addr", 0x0, struct_("in6_addr")}, {"prefix_len", 0x38, u32}, {"if_list", 0x78, list}}},
    };
  }();
  return types;
}

inline const Type& type(std::string_view name) {
  for (const Type& t : layout()) {
    if (t.name == name) return t;
  }
  throw std::logic_error("synthetic kernel: no type " + std::string(name));
}

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

// --- the builder --------------------------------------------------------------------

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
    image_.map(link_to_physical(kTkCoreLink), synthetic_detail::type("tk_core_t").size);
    const std::uint64_t timekeeper = symbol("tk_core") + offset("tk_core_t", "timekeeper");
    write_u64(timekeeper + offset("timekeeper", "offs_real"), static_cast<std::uint64_t>(kSyntheticBootTimeNs));
    write_u64(timekeeper + offset("timekeeper", "offs_boot"), 0);
    // init_task: pid 0, the head of the task list, in the initial namespaces.
    const std::uint64_t init = symbol("init_task");
    image_.map(link_to_physical(kInitTaskLink), synthetic_detail::type("task_struct").size);
    list_init(init + offset("task_struct", "tasks"));
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
    for (const auto& [n, link] : symbol_links()) {
      if (n == name) return link + options_.virtual_shift;
    }
    throw std::logic_error("synthetic kernel: no symbol " + std::string(name));
  }
  // Offset of a member of one of the synthetic struct types.
  static std::uint32_t offset(std::string_view type, std::string_view member) {
    for (const auto& f : synthetic_detail::type(type).fields) {
      if (f.name == member) return f.offset;
    }
    throw std::logic_error("synthetic kernel: no member " + std::string(type) + "." + std::string(member));
  }
  static std::uint32_t size_of(std::string_view type) { return synthetic_detail::type(type).size; }

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
  std::uint64_t alloc_struct(std::string_view type) { return alloc(size_of(type)); }
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
  // Writes a field by name: object + offset(type, member).
  void set(std::uint64_t object, std::string_view type, std::string_view member, std::uint64_t value) {
    write_u64(object + offset(type, member), value);
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

  // --- namespaces -----------------------------------------------------------------

  // The namespace struct of a kind with that inode, created on first use. A
  // new network namespace is added to net_namespace_list; a new mount
  // namespace has an empty mount list.
  std::uint64_t ns_object(NsKind kind, std::uint64_t inum) {
    auto [it, inserted] = namespaces_.try_emplace({kind, inum}, 0);
    if (!inserted) return it->second;
    static constexpr std::string_view kTypes[] = {"uts_namespace", "ipc_namespace", "mnt_namespace", "net",
                                                  "pid_namespace", "user_namespace", "cgroup_namespace"};
    const std::string_view type = kTypes[static_cast<int>(kind)];
    const std::uint64_t ns = alloc_struct(type);
    write_u32(ns + offset(type, "ns") + offset("ns_common", "inum"), static_cast<std::uint32_t>(inum));
    if (kind == NsKind::mnt) list_init(ns + offset("mnt_namespace", "list"));
    if (kind == NsKind::net) {
      list_init(ns + offset("net", "dev_base_head"));
      list_add_tail(symbol("net_namespace_list"), ns + offset("net", "list"));
    }
    it->second = ns;
    return ns;
  }

  // --- tasks ---------------------------------------------------------------------------

  // A task_struct with its cred, nsproxy, struct pid (and cgroup, fs_struct
  // when asked), appended to init_task's task list (or, for a thread, to its
  // leader's thread list). Returns the task_struct address.
  std::uint64_t add_task(const TaskSpec& spec) {
    const std::uint64_t task = alloc_struct("task_struct");
    fill_task(task, spec);
    if (spec.thread_of == 0) list_add_tail(symbol("init_task") + offset("task_struct", "tasks"), task + offset("task_struct", "tasks"));
    return task;
  }

  // Points task->fs at a new fs_struct whose root is (mount, dentry).
  void set_fs_root(std::uint64_t task, std::uint64_t mount, std::uint64_t dentry = 0) {
    const std::uint64_t fs = alloc_struct("fs_struct");
    const std::uint64_t root = fs + offset("fs_struct", "root");
    write_u64(root + offset("path", "mnt"), mount + offset("mount", "mnt"));
    write_u64(root + offset("path", "dentry"), dentry ? dentry : mount_root(mount));
    set(task, "task_struct", "fs", fs);
  }

  // --- filesystems ---------------------------------------------------------------------

  // A dentry named `name` under `parent` (0: a filesystem root, its own parent).
  std::uint64_t add_dentry(std::string_view name, std::uint64_t parent = 0, std::uint64_t super_block = 0) {
    const std::uint64_t d = alloc_struct("dentry");
    const std::uint64_t qstr = d + offset("dentry", "d_name");
    write_u32(qstr + offset("qstr", "len"), static_cast<std::uint32_t>(name.size()));
    write_u64(qstr + offset("qstr", "name"), alloc_string(name));
    set(d, "dentry", "d_parent", parent ? parent : d);
    set(d, "dentry", "d_sb", super_block);
    return d;
  }

  // A superblock of `fstype` with a root dentry "/".
  std::uint64_t add_super_block(std::string_view fstype, bool read_only = false) {
    const std::uint64_t sb = alloc_struct("super_block");
    const std::uint64_t fs_type = alloc_struct("file_system_type");
    set(fs_type, "file_system_type", "name", alloc_string(fstype));
    set(sb, "super_block", "s_type", fs_type);
    set(sb, "super_block", "s_flags", read_only ? 1 : 0);
    set(sb, "super_block", "s_root", add_dentry("/", 0, sb));
    return sb;
  }

  // A struct mount in the mount namespace `mnt_ns` (from ns_object(NsKind::mnt, ...)),
  // appended to its mount list.
  std::uint64_t add_mount(std::uint64_t mnt_ns, const MountSpec& spec) {
    const std::uint64_t m = alloc_struct("mount");
    const std::uint64_t vfs = m + offset("mount", "mnt");
    std::uint64_t root = spec.root;
    std::uint64_t sb = 0;
    if (root == 0) {
      sb = add_super_block(spec.fstype, (spec.flags & 0x40) != 0);
      root = written_pointer(sb + offset("super_block", "s_root"));
    }
    write_u64(vfs + offset("vfsmount", "mnt_root"), root);
    write_u64(vfs + offset("vfsmount", "mnt_sb"), sb ? sb : written_pointer(root + offset("dentry", "d_sb")));
    write_u32(vfs + offset("vfsmount", "mnt_flags"), spec.flags);
    set(m, "mount", "mnt_parent", spec.parent ? spec.parent : m);
    set(m, "mount", "mnt_mountpoint", spec.mountpoint ? spec.mountpoint : root);
    set(m, "mount", "mnt_ns", mnt_ns);
    set(m, "mount", "mnt_devname", alloc_string(spec.devname));
    write_u32(m + offset("mount", "mnt_id"), static_cast<std::uint32_t>(spec.id));
    list_add_tail(mnt_ns + offset("mnt_namespace", "list"), m + offset("mount", "mnt_list"));
    if (spec.parent == 0) set(mnt_ns, "mnt_namespace", "root", m);
    roots_[m] = root;
    return m;
  }
  std::uint64_t mount_root(std::uint64_t mount) const { return roots_.at(mount); }

  // --- network ----------------------------------------------------------------------------

  // A net_device in the network namespace `net` (from ns_object(NsKind::net, ...)).
  std::uint64_t add_net_device(std::uint64_t net, const NetDeviceSpec& spec) {
    const std::uint64_t dev = alloc_struct("net_device");
    write_bytes(dev + offset("net_device", "name"), spec.name.substr(0, 16));
    write_u32(dev + offset("net_device", "ifindex"), static_cast<std::uint32_t>(spec.ifindex));
    write_u32(dev + offset("net_device", "flags"), spec.up ? 0x1 : 0x0);
    write_u16(dev + offset("net_device", "type"), spec.type);
    const std::uint64_t adj = dev + offset("net_device", "adj_list");
    list_init(adj + offset("netdev_adj_list", "upper"));
    list_init(adj + offset("netdev_adj_list", "lower"));
    if (!spec.mac.empty()) {
      Bytes mac;
      for (std::size_t i = 0; i < spec.mac.size(); i += 3) {
        mac.push_back(std::byte(static_cast<std::uint8_t>(std::stoul(spec.mac.substr(i, 2), nullptr, 16))));
      }
      const std::uint64_t addr = alloc(32, 8);
      write(addr, mac);
      set(dev, "net_device", "dev_addr", addr);
      write_u8(dev + offset("net_device", "addr_len"), static_cast<std::uint8_t>(mac.size()));
    }
    if (!spec.kind.empty()) {
      const std::uint64_t ops = alloc_struct("rtnl_link_ops");
      set(ops, "rtnl_link_ops", "kind", alloc_string(spec.kind));
      set(dev, "net_device", "rtnl_link_ops", ops);
    }
    list_add_tail(net + offset("net", "dev_base_head"), dev + offset("net_device", "dev_list"));
    return dev;
  }

  // Appends an IPv4 address ("10.0.0.1") to the device's in_device.ifa_list;
  // returns the in_ifaddr.
  std::uint64_t add_ipv4(std::uint64_t dev, std::string_view address, std::uint8_t prefix) {
    auto [it, inserted] = ipv4_tails_.try_emplace(dev, 0);
    if (inserted) {
      const std::uint64_t in = alloc_struct("in_device");
      set(dev, "net_device", "ip_ptr", in);
      it->second = in + offset("in_device", "ifa_list");  // where the next pointer goes
    }
    const std::uint64_t ifa = alloc_struct("in_ifaddr");
    std::uint32_t local = 0;  // network byte order, as the kernel keeps it
    if (inet_pton(AF_INET, std::string(address).c_str(), &local) != 1) throw std::logic_error("bad IPv4 address");
    write_u32(ifa + offset("in_ifaddr", "ifa_local"), local);
    write_u8(ifa + offset("in_ifaddr", "ifa_prefixlen"), prefix);
    write_u64(it->second, ifa);
    it->second = ifa + offset("in_ifaddr", "ifa_next");
    return ifa;
  }

  // Appends an IPv6 address ("fe80::1") to the device's inet6_dev.addr_list.
  std::uint64_t add_ipv6(std::uint64_t dev, std::string_view address, std::uint32_t prefix) {
    auto [it, inserted] = ipv6_devs_.try_emplace(dev, 0);
    if (inserted) {
      it->second = alloc_struct("inet6_dev");
      list_init(it->second + offset("inet6_dev", "addr_list"));
      set(dev, "net_device", "ip6_ptr", it->second);
    }
    const std::uint64_t ifa = alloc_struct("inet6_ifaddr");
    std::array<std::byte, 16> raw{};
    if (inet_pton(AF_INET6, std::string(address).c_str(), raw.data()) != 1) throw std::logic_error("bad IPv6 address");
    write(ifa + offset("inet6_ifaddr", "addr"), raw);
    write_u32(ifa + offset("inet6_ifaddr", "prefix_len"), prefix);
    list_add_tail(it->second + offset("inet6_dev", "addr_list"), ifa + offset("inet6_ifaddr", "if_list"));
    return ifa;
  }

  // Makes `master` (a bridge) the master of `port`: a netdev_adjacent on the
  // port's upper list.
  void set_master(std::uint64_t port, std::uint64_t master) {
    const std::uint64_t adjacent = alloc_struct("netdev_adjacent");
    set(adjacent, "netdev_adjacent", "dev", master);
    write_u8(adjacent + offset("netdev_adjacent", "master"), 1);
    list_add_tail(port + offset("net_device", "adj_list") + offset("netdev_adj_list", "upper"),
                  adjacent + offset("netdev_adjacent", "list"));
  }

  // --- output -------------------------------------------------------------------------

  // The ISF JSON of the synthetic layout and symbols.
  std::string isf_json() const {
    using namespace synthetic_detail;
    std::string out = R"({"metadata": {"producer": {"name": "drydock-synthetic", "version": "1"}, "format": "6.2.0"},)";
    out += "\n \"base_types\": {";
    const std::tuple<std::string_view, int, bool> bases[] = {
        {"char", 1, true}, {"unsigned char", 1, false}, {"_Bool", 1, false}, {"short unsigned int", 2, false},
        {"int", 4, true},  {"unsigned int", 4, false},  {"long unsigned int", 8, false}, {"void", 0, false}};
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
    for (const Type& t : layout()) {
      out += std::string(first ? "" : ",") + "\n  \"" + std::string(t.name) + R"(": {"kind": "struct", "size": )" +
             std::to_string(t.size) + R"(, "fields": {)";
      for (std::size_t i = 0; i < t.fields.size(); ++i) {
        out += std::string(i ? ", " : "") + "\"" + std::string(t.fields[i].name) + R"(": {"type": )" +
               t.fields[i].type + R"(, "offset": )" + std::to_string(t.fields[i].offset) + "}";
      }
      out += "}}";
      first = false;
    }
    out += "},\n \"enums\": {},\n \"symbols\": {";
    std::string isf_banner = options_.isf_banner.value_or(options_.banner) + "\n";
    isf_banner.push_back('\0');
    const std::string symbol_types[] = {
        array(0, base("char")), array(512, base("long unsigned int")), struct_("task_struct"), struct_("list_head"),
        pointer(base("unsigned int")), base("unsigned int"), struct_("tk_core_t")};
    first = true;
    std::size_t index = 0;
    for (const auto& [name, link] : symbol_links()) {
      const std::string& type = symbol_types[index++];
      if (name == "vmcoreinfo_note" && !options_.vmcoreinfo) continue;
      if (name == "__pgtable_l5_enabled" && !options_.five_level) continue;
      out += std::string(first ? "" : ",") + "\n  \"" + std::string(name) + R"(": {"address": )" +
             std::to_string(link) + R"(, "type": )" + type;
      if (name == "linux_banner") out += R"(, "constant_data": ")" + base64(isf_banner) + "\"";
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
  static const std::vector<std::pair<std::string_view, std::uint64_t>>& symbol_links() {
    static const std::vector<std::pair<std::string_view, std::uint64_t>> links = {
        {"linux_banner", kLinuxBannerLink},       {"init_top_pgt", kInitTopPgtLink},
        {"init_task", kInitTaskLink},             {"net_namespace_list", kNetNamespaceListLink},
        {"vmcoreinfo_note", kVmcoreinfoNoteLink}, {"__pgtable_l5_enabled", kPgtableL5EnabledLink},
        {"tk_core", kTkCoreLink}};
    return links;
  }

  std::uint64_t link_to_physical(std::uint64_t link) const {
    return link - kStartKernelMapLink + options_.physical_shift;
  }

  void fill_task(std::uint64_t task, const TaskSpec& spec) {
    const auto field = [&](std::string_view member) { return task + offset("task_struct", member); };
    write_u32(field("pid"), static_cast<std::uint32_t>(spec.pid));
    write_u32(field("tgid"), static_cast<std::uint32_t>(spec.tgid ? spec.tgid : spec.pid));
    write_bytes(field("comm"), std::string_view(spec.comm).substr(0, 16));
    write_u32(field("flags"), spec.kernel_thread ? kPfKthread : 0);
    write_u64(field("real_parent"), spec.parent ? spec.parent : symbol("init_task"));

    const std::uint64_t cred = alloc_struct("cred");
    const auto c = [&](std::string_view member) { return cred + offset("cred", member); };
    for (auto m : {"uid", "suid", "euid", "fsuid"}) write_u32(c(m), spec.uid);
    for (auto m : {"gid", "sgid", "egid", "fsgid"}) write_u32(c(m), spec.gid);
    write_u64(c("cap_effective"), spec.cap_effective);
    write_u64(c("cap_permitted"), spec.cap_permitted);
    write_u64(c("cap_bset"), spec.cap_bset);
    write_u64(c("user_ns"), ns_object(NsKind::user, spec.ns.user));
    write_u64(field("real_cred"), cred);

    const std::uint64_t nsproxy = alloc_struct("nsproxy");
    const auto n = [&](std::string_view member) { return nsproxy + offset("nsproxy", member); };
    write_u64(n("uts_ns"), ns_object(NsKind::uts, spec.ns.uts));
    write_u64(n("ipc_ns"), ns_object(NsKind::ipc, spec.ns.ipc));
    write_u64(n("mnt_ns"), ns_object(NsKind::mnt, spec.ns.mnt));
    write_u64(n("pid_ns_for_children"), ns_object(NsKind::pid, spec.ns.pid));
    write_u64(n("net_ns"), ns_object(NsKind::net, spec.ns.net));
    write_u64(n("cgroup_ns"), ns_object(NsKind::cgroup, spec.ns.cgroup));
    write_u64(field("nsproxy"), nsproxy);

    // struct pid: level 0 in the host's PID namespace, level 1 when in another.
    const bool nested = spec.ns.pid != kHostNamespaces.pid;
    const std::uint64_t upid_size = size_of("upid");
    const std::uint64_t pid = alloc(size_of("pid") + upid_size);
    write_u32(pid + offset("pid", "level"), nested ? 1 : 0);
    const std::uint64_t numbers = pid + offset("pid", "numbers");
    write_u32(numbers + offset("upid", "nr"), static_cast<std::uint32_t>(spec.pid));
    write_u64(numbers + offset("upid", "ns"), ns_object(NsKind::pid, kHostNamespaces.pid));
    if (nested) {
      write_u32(numbers + upid_size + offset("upid", "nr"), static_cast<std::uint32_t>(spec.ns_pid ? spec.ns_pid : spec.pid));
      write_u64(numbers + upid_size + offset("upid", "ns"), ns_object(NsKind::pid, spec.ns.pid));
    }
    write_u64(field("thread_pid"), pid);

    // Threads share their leader's signal_struct and hang off its thread_head.
    std::uint64_t signal = 0;
    if (spec.thread_of) {
      signal = written_pointer(spec.thread_of + offset("task_struct", "signal"));
    } else {
      signal = alloc_struct("signal_struct");
      list_init(signal + offset("signal_struct", "thread_head"));
    }
    write_u64(field("signal"), signal);
    list_add_tail(signal + offset("signal_struct", "thread_head"), field("thread_node"));

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
      set(it->second, "kernfs_node", "parent", parent);
      set(it->second, "kernfs_node", "name", alloc_string(name));
    }
    return it->second;
  }

  SyntheticKernelOptions options_;
  PhysicalImageBuilder image_;
  PageTableBuilder tables_;
  std::uint64_t heap_ = kHeapPhysical;
  std::map<std::uint64_t, std::uint64_t> tails_;                    // list head -> last node
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
