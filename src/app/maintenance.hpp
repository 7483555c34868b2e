#pragma once

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/steady_timer.hpp>
#include <chrono>
#include <future>

#include "app/service_graph.hpp"

namespace authsvc::app {

// Periodic upkeep on the backend thread: twice a second drops users changed elsewhere from the user
// cache (UserDirectory::catch_up) and reconciles the revocation denylist with the durable record
// (Revocations::reconcile); it also reloads the key ring (another instance or `auth keys rotate`
// may have rotated, and this instance must sign with the new key and publish it in its JWKS),
// purges revocation records whose tokens have expired and old user changes, and during an HS256
// switch-over copies the original service's denylist into the durable record.
class Maintenance {
 public:
  struct Options {
    std::chrono::seconds key_reload_interval{30};
    std::chrono::seconds purge_interval{3600};
    std::chrono::seconds original_import_interval{60};
  };

  Maintenance(boost::asio::any_io_executor executor, ServiceGraph& services, Options options);
  Maintenance(const Maintenance&) = delete;
  Maintenance& operator=(const Maintenance&) = delete;
  // Stops the loop and waits for it (call from any thread but the backend one, before the services
  // go away).
  ~Maintenance();

 private:
  boost::asio::awaitable<void> loop();

  boost::asio::any_io_executor executor_;
  ServiceGraph& services_;
  Options options_;
  boost::asio::steady_timer timer_;  // used on the backend thread only
  bool stopping_ = false;            // backend thread only
  std::promise<void> done_;
  std::future<void> finished_;
};

}  // namespace authsvc::app
