# prm-mock as a CI sidecar. Build:  podman build --format docker -t prm-mock .   (or docker build)
# Run:    podman run -p 4010:4010 -v "$PWD/fixtures:/fixtures:ro" -e PRM_MOCK_FIXTURES=/fixtures prm-mock
# Every option is a PRM_MOCK_* variable (prm-mock --help). tests/container/smoke builds and tests it.

FROM debian:bookworm-slim AS build
RUN apt-get update \
 && apt-get install -y --no-install-recommends g++ cmake ninja-build pkg-config libcpp-httplib-dev \
      rapidjson-dev libvalijson-dev libyaml-cpp-dev libssl-dev ccache \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /src
COPY . .
# ccache pays off only when a cache is mounted at /ccache (tests/container/smoke does: podman build
# -v DIR:/ccache); without one it is an empty directory and the build is a plain one.
ENV CCACHE_DIR=/ccache
# A unity build (scripts/test.sh says why) roughly halves the compile.
RUN cmake -G Ninja -S . -B /build -DCMAKE_BUILD_TYPE=Release -DPRM_MOCK_TESTS=OFF -DPRM_MOCK_WERROR=OFF \
      -DCMAKE_UNITY_BUILD=ON -DCMAKE_CXX_COMPILER_LAUNCHER=ccache \
 && cmake --build /build -j"$(nproc)" --target prm-mock \
 && strip /build/prm-mock

FROM debian:bookworm-slim
# Only what the binary links at run time (ldd): cpp-httplib (which brings zlib and brotli), yaml-cpp, OpenSSL.
RUN apt-get update \
 && apt-get install -y --no-install-recommends libcpp-httplib0.11 libyaml-cpp0.7 libssl3 \
 && rm -rf /var/lib/apt/lists/* /var/cache/apt/*.bin \
 && useradd --system --uid 10001 --no-create-home --shell /usr/sbin/nologin prm-mock \
 && mkdir /fixtures
COPY --from=build /build/prm-mock /usr/local/bin/prm-mock
# Mount your fixtures here and set PRM_MOCK_FIXTURES=/fixtures (they add to, and replace by name,
# the defaults compiled into the binary). Left unset, only the embedded defaults answer.
ENV PRM_MOCK_HOST=0.0.0.0 \
    PRM_MOCK_PORT=4010
EXPOSE 4010
USER 10001
# prm-mock is PID 1 and handles SIGTERM/SIGINT itself (sigwait, then drains in-flight requests, exit 0).
STOPSIGNAL SIGTERM
# `prm-mock health` reads the same PRM_MOCK_HOST/PORT (0.0.0.0 becomes 127.0.0.1); no curl needed.
HEALTHCHECK --interval=5s --timeout=3s --start-period=2s --retries=3 CMD ["prm-mock", "health"]
ENTRYPOINT ["prm-mock"]
CMD ["serve"]
