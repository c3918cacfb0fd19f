#pragma once
// The rendezvous store of a data-parallel run, over LibTorch's c10d::TCPStore: where the processes find
// each other (the process group's connection set-up goes through it), and where they and the launcher
// leave each other short notes: why a rank ended, that a stop was asked for, which run rank 0 trains.
// One process hosts it (the launcher, or rank 0); the others join it as clients.

#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>

namespace c10d {
class Store;
}

namespace ablate::dist {

class Rendezvous {
 public:
  // Hosts the store on this machine, listening on every interface; port 0 takes a free port (see port()).
  // This process's own notes are read and written under `prefix` (the clients choose theirs when they
  // join). Throws std::runtime_error naming the port when it cannot listen.
  static std::shared_ptr<Rendezvous> host(int64_t port, const std::string& prefix, std::chrono::milliseconds timeout);
  // Joins the store at host:port, retrying until `timeout`; keys are read and written under `prefix`
  // ("" for none). Throws std::runtime_error naming the address when it is not reachable in time.
  static std::shared_ptr<Rendezvous> join(const std::string& host, int64_t port, const std::string& prefix,
                                          std::chrono::milliseconds timeout);
  ~Rendezvous();

  int64_t port() const { return port_; }
  const std::string& address() const { return address_; }

  // Notes. set() overwrites; get() never waits: nullopt when the key is not set (or the store is gone).
  void set(const std::string& key, const std::string& value);
  std::optional<std::string> get(const std::string& key);

  // The c10d store, for dist::ProcessGroup.
  class Access;

 private:
  Rendezvous() = default;
  struct Impl;
  std::unique_ptr<Impl> impl_;
  std::string address_;
  int64_t port_ = 0;
  friend class Access;
};

}  // namespace ablate::dist
