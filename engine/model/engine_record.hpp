#pragma once
// What a container engine itself recorded about a container (Docker's
// config.v2.json and hostconfig.json, the OCI runtime spec config.json,
// runc's state.json, Podman's userdata), as far as memory holds those files.
// A plain value; every field is nullopt (or empty with nothing recorded)
// when no record that carries it was found.

#include <map>
#include <optional>
#include <string>
#include <vector>

namespace drydock {

struct DeclaredMount {
  std::string source;
  std::string destination;
  std::string type;  // "bind", "volume", "tmpfs", ... ("" when not recorded)
  std::optional<bool> read_only;
};

struct KubernetesIdentity {
  std::optional<std::string> pod, namespace_, pod_uid, container, sandbox_id;
  bool sandbox = false;  // the pod's pause (sandbox) container
};

struct EngineRecord {
  std::optional<std::string> name;   // without Docker's leading '/'
  std::optional<std::string> image;  // as the user named it ("shop/busybox:1.35")
  std::map<std::string, std::string> labels;       // engine labels
  std::map<std::string, std::string> annotations;  // OCI spec annotations
  // "NAME=value"; the value of a secret-looking name is "<redacted>" unless shown.
  std::optional<std::vector<std::string>> env;
  std::optional<std::vector<DeclaredMount>> mounts;
  std::optional<std::vector<std::string>> cap_add, cap_drop;  // Docker's HostConfig
  std::optional<std::vector<std::string>> capabilities;       // the OCI spec's bounding set
  std::optional<bool> privileged;
  std::optional<bool> read_only_rootfs;
  std::optional<std::string> seccomp_profile;   // "default", "unconfined", a file, or "custom" (an inline filter)
  std::optional<std::string> apparmor_profile;
  std::optional<std::string> restart_policy;    // "no", "always", "on-failure:3", "unless-stopped"
  std::optional<std::string> created;           // as recorded (RFC 3339)
  std::optional<KubernetesIdentity> kubernetes;
  std::vector<std::string> sources;  // the files each part came from
};

}  // namespace drydock
