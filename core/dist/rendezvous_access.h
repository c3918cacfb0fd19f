#pragma once
// The c10d store behind a dist::Rendezvous, for the process group's implementation only: it keeps
// c10d's headers (and their -DUSE_C10D_GLOO) out of everything that merely holds a Rendezvous.

#include <torch/csrc/distributed/c10d/Store.hpp>

#include "core/dist/rendezvous.h"

namespace ablate::dist {

class Rendezvous::Access {
 public:
  static c10::intrusive_ptr<c10d::Store> store(Rendezvous& rendezvous);
};

}  // namespace ablate::dist
