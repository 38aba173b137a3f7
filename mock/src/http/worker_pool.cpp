#include "http/worker_pool.hpp"

#include <pthread.h>

#include <csignal>

namespace prm_mock {

WorkerPool::WorkerPool(int threads, Serve serve) : serve_(std::move(serve)) {
  threads_.reserve(static_cast<std::size_t>(threads));
  for (int index = 0; index < threads; ++index) threads_.emplace_back([this] { run(); });
}

WorkerPool::~WorkerPool() { finish_and_join(); }

void WorkerPool::enqueue(ConnectionPtr connection) {
  {
    std::lock_guard lock(mutex_);
    queue_.push_back(std::move(connection));
    waiting_.fetch_add(1, std::memory_order_relaxed);
  }
  ready_.notify_one();
}

void WorkerPool::finish_and_join() {
  {
    std::lock_guard lock(mutex_);
    finishing_ = true;
  }
  ready_.notify_all();
  for (auto& thread : threads_) {
    if (thread.joinable()) thread.join();
  }
}

void WorkerPool::run() {
  // OpenSSL writes to the socket with write(), which raises SIGPIPE when the client is gone.
  // Blocked in this thread, the signal stays pending instead of killing the process, and the
  // write fails with EPIPE; the embedding application's own signal handling is untouched.
  sigset_t pipe_signal;
  sigemptyset(&pipe_signal);
  sigaddset(&pipe_signal, SIGPIPE);
  pthread_sigmask(SIG_BLOCK, &pipe_signal, nullptr);
  for (;;) {
    ConnectionPtr connection;
    {
      std::unique_lock lock(mutex_);
      ready_.wait(lock, [this] { return finishing_ || !queue_.empty(); });
      if (queue_.empty()) return;
      connection = std::move(queue_.front());
      queue_.pop_front();
      waiting_.fetch_sub(1, std::memory_order_relaxed);
    }
    serve_(std::move(connection));
  }
}

}  // namespace prm_mock
