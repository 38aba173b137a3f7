#include "cli/serve_command.hpp"

#include <malloc.h>

#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <thread>

#include "contract/contract.hpp"
#include "journal/request_log.hpp"
#include "prm_mock/server.hpp"

namespace prm_mock {
namespace {

sigset_t termination_signals() {
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGTERM);
  sigaddset(&signals, SIGINT);
  return signals;
}

// Written to a temporary name and renamed, so a reader polling for the file never sees it half
// written.
void write_port_file(const std::string& path, int port) {
  const std::string temporary = path + ".tmp";
  {
    std::ofstream file(temporary, std::ios::trunc);
    if (!file) throw std::runtime_error("cannot write port file '" + path + "'");
    file << port << '\n';
  }
  std::filesystem::rename(temporary, path);
}

// glibc gives threads up to 8 arenas per core; with 64 workers, a journal entry allocated in one
// arena is freed (evicted) from another, and the arenas' free space fragments: RSS crept up ~1 MiB
// per 250,000 requests long after the journal was full (wrk, 32 connections: 60.7 -> 68.3 MiB over
// 1.9M requests). Two arenas: 49.9 -> 51.2 MiB over 1.7M, flat, at the same throughput (one arena
// was 8% slower). MALLOC_ARENA_MAX, when set, still decides.
void limit_malloc_arenas() {
  if (std::getenv("MALLOC_ARENA_MAX") == nullptr) mallopt(M_ARENA_MAX, 2);
}

}  // namespace

int run_serve_command(const Config& config, const ServeOptions& options) {
  limit_malloc_arenas();
  // Block the signals before any thread starts, so every thread inherits the mask and only
  // sigwait below receives them: shutdown then runs on an ordinary thread, not in a handler.
  const sigset_t signals = termination_signals();
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);
  try {
    Server server(config);
    const int port = server.start();
    if (!options.port_file.empty()) write_port_file(options.port_file, port);
    std::cout << "prm-mock listening on " << server.base_url() << std::endl;
    int received = 0;
    sigwait(&signals, &received);
    log_event(config.log_format, std::string("received ") +
                                     (received == SIGINT ? "SIGINT" : "SIGTERM") +
                                     ": draining in-flight requests");
    std::thread([signals] {
      int again = 0;
      sigwait(&signals, &again);
      std::_Exit(1);
    }).detach();
    server.stop();
    log_event(config.log_format, "stopped");
    flush_log();
    return 0;
  } catch (const ContractError& error) {
    // A contract the mock cannot honour is a usage error, as --help's exit codes say.
    std::cerr << "prm-mock: unusable contract: " << error.what() << std::endl;
    return 2;
  } catch (const PortInUseError& error) {
    // A status of its own, so a script can tell "a mock is already there" from a broken start.
    std::cerr << "prm-mock: " << error.what() << std::endl;
    return kExitPortInUse;
  } catch (const std::exception& error) {
    std::cerr << "prm-mock: " << error.what() << std::endl;
    return 1;
  }
}

int run_record_command(const Config& config, const ServeOptions& options) {
  if (config.upstream.empty()) {
    std::cerr << "prm-mock: record needs --upstream URL\nRun 'prm-mock --help' for usage.\n";
    return 2;
  }
  // The server answers with the UpstreamRecorder when config.upstream is set.
  return run_serve_command(config, options);
}

}  // namespace prm_mock
