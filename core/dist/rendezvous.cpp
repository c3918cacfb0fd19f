#include "core/dist/rendezvous.h"

#include <stdexcept>

#include <fmt/format.h>
#include <torch/csrc/distributed/c10d/PrefixStore.hpp>
#include <torch/csrc/distributed/c10d/TCPStore.hpp>

#include "core/dist/rendezvous_access.h"

namespace ablate::dist {

namespace {

std::string first_line(const std::string& text) { return text.substr(0, text.find('\n')); }

}  // namespace

struct Rendezvous::Impl {
  c10::intrusive_ptr<c10d::Store> store;
};

Rendezvous::~Rendezvous() = default;

std::shared_ptr<Rendezvous> Rendezvous::host(int64_t port, const std::string& prefix,
                                             std::chrono::milliseconds timeout) {
  c10d::TCPStoreOptions options;
  options.port = static_cast<std::uint16_t>(port);
  options.isServer = true;
  options.waitWorkers = false;  // the process group's own set-up waits for every rank
  options.timeout = timeout;
  std::shared_ptr<Rendezvous> rendezvous(new Rendezvous());
  rendezvous->impl_ = std::make_unique<Impl>();
  try {
    auto store = c10::make_intrusive<c10d::TCPStore>("127.0.0.1", options);
    rendezvous->port_ = store->getPort();
    rendezvous->impl_->store = store;
    if (!prefix.empty()) rendezvous->impl_->store = c10::make_intrusive<c10d::PrefixStore>(prefix, store);
  } catch (const std::exception& e) {
    throw std::runtime_error(fmt::format("cannot host the rendezvous store on port {}: {}", port, first_line(e.what())));
  }
  rendezvous->address_ = "127.0.0.1";
  return rendezvous;
}

std::shared_ptr<Rendezvous> Rendezvous::join(const std::string& host, int64_t port, const std::string& prefix,
                                             std::chrono::milliseconds timeout) {
  c10d::TCPStoreOptions options;
  options.port = static_cast<std::uint16_t>(port);
  options.isServer = false;
  options.timeout = timeout;
  std::shared_ptr<Rendezvous> rendezvous(new Rendezvous());
  rendezvous->impl_ = std::make_unique<Impl>();
  try {
    c10::intrusive_ptr<c10d::Store> store = c10::make_intrusive<c10d::TCPStore>(host, options);
    if (!prefix.empty()) store = c10::make_intrusive<c10d::PrefixStore>(prefix, store);
    rendezvous->impl_->store = store;
  } catch (const std::exception& e) {
    throw std::runtime_error(fmt::format("cannot reach the rendezvous store at {}:{} within {} s (is rank 0 or the "
                                         "launcher running there? MASTER_ADDR/MASTER_PORT right?): {}",
                                         host, port, timeout.count() / 1000, first_line(e.what())));
  }
  rendezvous->address_ = host;
  rendezvous->port_ = port;
  return rendezvous;
}

void Rendezvous::set(const std::string& key, const std::string& value) {
  impl_->store->set(key, std::vector<uint8_t>(value.begin(), value.end()));
}

std::optional<std::string> Rendezvous::get(const std::string& key) {
  try {
    if (!impl_->store->check({key})) return std::nullopt;
    const std::vector<uint8_t> value = impl_->store->get(key);
    return std::string(value.begin(), value.end());
  } catch (const std::exception&) {
    return std::nullopt;  // the store's host is gone: no note to read
  }
}

c10::intrusive_ptr<c10d::Store> Rendezvous::Access::store(Rendezvous& rendezvous) { return rendezvous.impl_->store; }

}  // namespace ablate::dist
