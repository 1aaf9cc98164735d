# syntax=docker/dockerfile:1
#
# HomeOps Dashboard container image (docs/deploy.md).
#
#   docker build -t homeops-dashboard .
#   docker build --build-arg TALOSCTL_VERSION= --build-arg TASK_VERSION= -t homeops-dashboard:slim .   # leave tools out
#
# Stages: build (SDK: restore from the project files alone, then publish) → tools (optional CLIs for the local workflow
# runner, checksum-verified) → runtime (ASP.NET runtime, non-root, published output only).
#
# Build arguments for the workflow runner's tools (issue 4 runs `task`, `talosctl`, `kubectl` and `flux` as processes).
# Each VERSION set (the default) downloads that binary into /usr/local/bin; an empty VERSION leaves the tool out.
# Defaults follow the live cluster rather than the workstation pins in home-ops' .mise.toml (cluster brief §1.4):
#   TALOSCTL_VERSION  v1.10.5  = the nodes' Talos version (talosctl should match the Talos it drives)
#   KUBECTL_VERSION   v1.31.1  = the API server's version (.mise.toml's 1.35.2 is outside kubectl's ±1 minor skew)
#   FLUX_VERSION      2.8.1    = the Flux controllers in gotk-components.yaml (and .mise.toml)
#   TASK_VERSION      3.38.0   = .mise.toml
# Each *_SHA256 pins the expected SHA-256 of the downloaded file (the talosctl/kubectl binary, or the flux/task
# tar.gz). Empty: the file is verified against the checksum list the project publishes next to it in the same release
# (integrity, not provenance). Set the *_SHA256 values to pin the exact artifacts you have reviewed.
# There are no build secrets: nothing here needs a token, and none may be passed as a build argument.
#
# Base images: named once, here, and pulled as image:tag@sha256:<digest> once pinned (with the syntax frontend above).
# scripts/pin-base-images resolves the digests where a registry is reachable; docs/deploy.md has the bump procedure.
# tests/HomeOps.Deploy.Tests (BaseImagePinningTests) fails on a placeholder digest and reports unpinned images.
ARG SDK_IMAGE=mcr.microsoft.com/dotnet/sdk:10.0
ARG ASPNET_IMAGE=mcr.microsoft.com/dotnet/aspnet:10.0

# ---- build ------------------------------------------------------------------------------------------------------
FROM ${SDK_IMAGE} AS build
WORKDIR /src
# Project files first: the restore layer is reused until a project file or the shared props change.
COPY global.json Directory.Build.props ./
COPY src/HomeOps.Cluster/HomeOps.Cluster.csproj src/HomeOps.Cluster/
COPY src/HomeOps.Simulator/HomeOps.Simulator.csproj src/HomeOps.Simulator/
COPY src/HomeOps.Operations/HomeOps.Operations.csproj src/HomeOps.Operations/
COPY src/HomeOps.Simulator.Tools/HomeOps.Simulator.Tools.csproj src/HomeOps.Simulator.Tools/
COPY src/HomeOps.Dashboard/HomeOps.Dashboard.csproj src/HomeOps.Dashboard/
# RequiresAspNetWebAssets: the SDK sets it only when the project holds .razor content, which this layer does not have
# yet. Without it the restore leaves out Microsoft.AspNetCore.App.Internal.Assets, and the publish below (--no-restore)
# then ships no /_framework/blazor.web.js: the app starts but no page ever becomes interactive.
RUN dotnet restore src/HomeOps.Dashboard/HomeOps.Dashboard.csproj -p:RequiresAspNetWebAssets=true
# Then the sources (.dockerignore keeps bin/, obj/, tests and the rest out of the context).
COPY . .
RUN dotnet publish src/HomeOps.Dashboard -c Release -o /app --no-restore

# ---- tools (optional) ----------------------------------------------------------------------------------------------
# The SDK image is already pulled for the build and has curl, sha256sum and tar.
FROM ${SDK_IMAGE} AS tools
# Set by BuildKit for the target platform (the home-ops nodes are Intel: amd64).
ARG TARGETARCH
ARG TALOSCTL_VERSION=v1.10.5
ARG TALOSCTL_SHA256=
ARG KUBECTL_VERSION=v1.31.1
ARG KUBECTL_SHA256=
ARG FLUX_VERSION=2.8.1
ARG FLUX_SHA256=
ARG TASK_VERSION=3.38.0
ARG TASK_SHA256=
# Quoted heredoc: the shell, not the Dockerfile parser, expands the variables (build arguments are in its environment).
RUN <<'EOF'
set -eu
mkdir -p /tools /downloads
cd /downloads
arch="${TARGETARCH:-amd64}"

# verify <file> <pinned sha256 or empty> <checksum list url or empty>
verify() {
  if [ -n "$2" ]; then
    echo "$2  $1" | sha256sum -c -
  else
    curl -fsSL "$3" -o checksums.txt
    awk -v f="$1" '$2 == f || $2 == "*" f { print $1 "  " f }' checksums.txt > expected.txt
    test "$(wc -l < expected.txt)" -eq 1 || { echo "no single checksum for $1 in $3" >&2; exit 1; }
    sha256sum -c expected.txt
  fi
}

if [ -n "${TALOSCTL_VERSION}" ]; then
  f="talosctl-linux-${arch}"
  curl -fsSL "https://github.com/siderolabs/talos/releases/download/${TALOSCTL_VERSION}/${f}" -o "$f"
  verify "$f" "${TALOSCTL_SHA256}" "https://github.com/siderolabs/talos/releases/download/${TALOSCTL_VERSION}/sha256sum.txt"
  install -m 0755 "$f" /tools/talosctl
fi

if [ -n "${KUBECTL_VERSION}" ]; then
  curl -fsSL "https://dl.k8s.io/release/${KUBECTL_VERSION}/bin/linux/${arch}/kubectl" -o kubectl
  if [ -n "${KUBECTL_SHA256}" ]; then
    echo "${KUBECTL_SHA256}  kubectl" | sha256sum -c -
  else
    # dl.k8s.io publishes the bare digest next to the binary.
    echo "$(curl -fsSL "https://dl.k8s.io/release/${KUBECTL_VERSION}/bin/linux/${arch}/kubectl.sha256")  kubectl" | sha256sum -c -
  fi
  install -m 0755 kubectl /tools/kubectl
fi

if [ -n "${FLUX_VERSION}" ]; then
  f="flux_${FLUX_VERSION}_linux_${arch}.tar.gz"
  curl -fsSL "https://github.com/fluxcd/flux2/releases/download/v${FLUX_VERSION}/${f}" -o "$f"
  verify "$f" "${FLUX_SHA256}" "https://github.com/fluxcd/flux2/releases/download/v${FLUX_VERSION}/flux_${FLUX_VERSION}_checksums.txt"
  tar -xzf "$f" flux
  install -m 0755 flux /tools/flux
fi

if [ -n "${TASK_VERSION}" ]; then
  f="task_linux_${arch}.tar.gz"
  curl -fsSL "https://github.com/go-task/task/releases/download/v${TASK_VERSION}/${f}" -o "$f"
  verify "$f" "${TASK_SHA256}" "https://github.com/go-task/task/releases/download/v${TASK_VERSION}/task_checksums.txt"
  tar -xzf "$f" task
  install -m 0755 task /tools/task
fi

ls -l /tools
EOF

# ---- runtime ------------------------------------------------------------------------------------------------------
FROM ${ASPNET_IMAGE} AS runtime
WORKDIR /app
COPY --from=tools /tools/ /usr/local/bin/
COPY --from=build /app .
# Listen on 8080 only (no HTTPS in the pod: TLS ends at the ingress). Kubernetes adds the metrics port (k8s/).
ENV ASPNETCORE_HTTP_PORTS=8080 \
    DOTNET_NOLOGO=1 \
    DOTNET_CLI_TELEMETRY_OPTOUT=1
EXPOSE 8080
# The image's non-root "app" user (APP_UID 1654), by number so that Kubernetes can verify runAsNonRoot.
USER 1654:1654
ENTRYPOINT ["dotnet", "HomeOps.Dashboard.dll"]
