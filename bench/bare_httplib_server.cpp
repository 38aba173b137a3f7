// The ceiling of our HTTP stack for bench/run: cpp-httplib alone, answering the publish path with a
// constant body. No validation, fixtures or journal, so prm-mock's rows divided by this one are the
// cost of everything prm-mock adds on top of the library it is built on.
//
// It uses prm-mock's settings where they are the library's knobs (64 worker threads, TCP_NODELAY,
// keep-alive up to 1,000,000 requests and 60 s idle, listen backlog 1024). With httplib's own
// defaults the ceiling would be far lower than what the library can do: without TCP_NODELAY each
// small response waits ~40 ms on Nagle and delayed ACKs (about 730 requests/s here), and with 5
// requests per connection every fifth request pays a reconnect. Connections are still served the
// httplib way, one thread per connection for its whole keep-alive life, which is what prm-mock's
// own loop replaced.
//
// usage: bare_httplib_server PORT_FILE [THREADS]  (listens on 127.0.0.1, a free port)
#include <httplib.h>
#include <sys/socket.h>

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <string>

namespace {

constexpr int kDefaultThreads = 64;
constexpr std::size_t kKeepAliveMaxRequests = 1000000;
constexpr time_t kKeepAliveSeconds = 60;
constexpr int kListenBacklog = 1024;
const char* const kBody = R"({"ok":true})";

// svr_sock_ is protected and httplib 0.11 has no accessor for it.
class BareServer : public httplib::Server {
 public:
  int listening_socket() const { return svr_sock_; }
};

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2 || argc > 3) {
    std::fprintf(stderr, "usage: %s PORT_FILE [THREADS]\n", argv[0]);
    return 2;
  }
  const int threads = argc == 3 ? std::atoi(argv[2]) : kDefaultThreads;
  if (threads < 1) {
    std::fprintf(stderr, "THREADS must be a positive integer\n");
    return 2;
  }

  BareServer server;
  server.new_task_queue = [threads] {
    return new httplib::ThreadPool(static_cast<size_t>(threads));
  };
  server.set_tcp_nodelay(true);  // set on the listening socket; accepted sockets inherit it
  server.set_keep_alive_max_count(kKeepAliveMaxRequests);
  server.set_keep_alive_timeout(kKeepAliveSeconds);
  // httplib reads the whole body before calling the handler, as prm-mock reads it to validate.
  server.Post("/api/registries/artifacts",
              [](const httplib::Request&, httplib::Response& response) {
                response.set_content(kBody, "application/json");
              });

  const int port = server.bind_to_any_port("127.0.0.1");
  if (port <= 0) {
    std::perror("bind");
    return 1;
  }
  // httplib listens with a backlog of 5; listen() again only enlarges the queue (as prm-mock does).
  ::listen(server.listening_socket(), kListenBacklog);
  {
    // Written only once the socket accepts, so a reader of the file may connect at once.
    std::ofstream(std::string(argv[1]) + ".tmp") << port << "\n";
    std::rename((std::string(argv[1]) + ".tmp").c_str(), argv[1]);
  }
  return server.listen_after_bind() ? 0 : 1;
}
