#include "exchange_context.hpp"

namespace prm_mock {

ExchangeContext& current_exchange() {
  thread_local ExchangeContext context;
  return context;
}

}  // namespace prm_mock
