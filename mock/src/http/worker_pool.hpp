#pragma once
// A fixed set of threads serving connections that have a request ready. Idle keep-alive
// connections are not here: they wait in the ConnectionReactor, so a pool smaller than the number
// of open connections does not starve anyone.
#include <condition_variable>
#include <deque>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

#include "http/connection.hpp"

namespace prm_mock {

class WorkerPool {
 public:
  using Serve = std::function<void(ConnectionPtr)>;

  WorkerPool(int threads, Serve serve);
  ~WorkerPool();  // finish_and_join()
  WorkerPool(const WorkerPool&) = delete;
  WorkerPool& operator=(const WorkerPool&) = delete;

  void enqueue(ConnectionPtr connection);
  // Connections waiting for a worker: when others wait, a worker yields its connection sooner.
  bool has_waiting() const { return waiting_.load(std::memory_order_relaxed) > 0; }
  // Serves what is queued, then stops the threads. Idempotent.
  void finish_and_join();

 private:
  void run();

  Serve serve_;
  std::mutex mutex_;
  std::condition_variable ready_;
  std::deque<ConnectionPtr> queue_;
  std::atomic<int> waiting_{0};
  bool finishing_ = false;
  std::vector<std::thread> threads_;
};

}  // namespace prm_mock
