#pragma once
// A TCP port of 127.0.0.1 that nothing listens on now: the data-parallel tests give each case its own
// rendezvous port, so cases running side by side (ctest -j) never meet in one store.

#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <stdexcept>

namespace ablate::testing {

// The kernel's choice for a socket bound to port 0, released before returning: free unless another
// process binds it in the moment between (the kernel hands ports out in turn, so that is unlikely).
inline int free_port() {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  if (fd < 0) throw std::runtime_error("free_port: socket failed");
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  address.sin_port = 0;
  socklen_t length = sizeof(address);
  if (::bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof(address)) != 0 ||
      ::getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length) != 0) {
    ::close(fd);
    throw std::runtime_error("free_port: bind failed");
  }
  ::close(fd);
  return ntohs(address.sin_port);
}

}  // namespace ablate::testing
