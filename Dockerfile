# syntax=docker/dockerfile:1
#
# HomeOps Dashboard container image (docs/deploy.md).
#
#   docker build -t homeops-dashboard .
#   docker build --build-arg TALOSCTL_VERSION= --build-arg TASK_VERSION= -t homeops-dashboard:slim .   # leave tools out
#
# Stages: build (SDK: restore from the project files alone, then publish) → tools (optional CLIs for the local workflow
# runner, checksum-verified) → station (--target station: the operator-station image with mise and every tool
# home-ops' .mise.toml pins, checksum-verified) → runtime (the default: ASP.NET runtime, non-root, published output only).
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

# ---- station (optional target) ---------------------------------------------------------------------------------------
#   docker build --target station -t homeops-dashboard:station .
# The operator-station image (docs/operations.md, "The station image"): the dashboard plus mise and the tools that
# home-ops' .mise.toml pins, so that the Taskfile's `mise exec -- …` and phase 1's tool checks find them without
# downloading anything at run time. Every download is verified against a SHA-256: the *_SHA256 build argument when set,
# else the checksum list the project publishes in the same release. Versions are .mise.toml's, with deliberate
# deviations, each also set as mise's per-tool override (MISE_<TOOL>_VERSION) so that `mise exec` uses them:
#   TALOSCTL_VERSION 1.10.5 (.mise.toml: 1.12.4): the nodes run Talos v1.10.5 and talosctl should match the Talos it
#                    drives (reset, apply-config, etcd); 1.12 is two minors ahead. Move it with the nodes' upgrades.
#   KUBECTL_VERSION  1.31.1 (.mise.toml: 1.35.2): the API server is v1.31.1; 1.35 is outside kubectl's ±1 minor skew.
#   TALHELPER_VERSION 3.1.0 (.mise.toml: "latest"): "latest" cannot be pinned or checksummed; bump it on purpose.
# Not installed (not used by the workflows' tasks): node, python, cloudflared, yamllint, pre-commit, shellcheck,
# prettier (MISE_DISABLE_TOOLS), and the 1Password CLI `op`, which publishes no checksum list (only a GPG-signed
# package): mount or install it on the station yourself.
FROM ${ASPNET_IMAGE} AS station
USER root
ARG TARGETARCH
ARG MISE_VERSION=v2026.9.15
ARG MISE_SHA256=
ARG TALOSCTL_VERSION=1.10.5
ARG TALOSCTL_SHA256=
ARG KUBECTL_VERSION=1.31.1
ARG KUBECTL_SHA256=
ARG FLUX2_VERSION=2.8.1
ARG FLUX2_SHA256=
ARG KUSTOMIZE_VERSION=5.8.1
ARG KUSTOMIZE_SHA256=
ARG HELM_VERSION=4.1.1
ARG HELM_SHA256=
ARG CILIUM_CLI_VERSION=0.16.16
ARG CILIUM_CLI_SHA256=
ARG YQ_VERSION=4.52.4
ARG YQ_SHA256=
ARG JQ_VERSION=1.8.1
ARG JQ_SHA256=
ARG TASK_VERSION=3.38.0
ARG TASK_SHA256=
ARG TALHELPER_VERSION=3.1.0
ARG TALHELPER_SHA256=
ENV MISE_DATA_DIR=/opt/mise \
    MISE_CACHE_DIR=/tmp/mise-cache \
    MISE_OFFLINE=1 \
    MISE_EXEC_AUTO_INSTALL=false \
    MISE_TASK_RUN_AUTO_INSTALL=false \
    MISE_DISABLE_TOOLS=node,python,cloudflared,yamllint,pre-commit,shellcheck,prettier \
    MISE_TALOSCTL_VERSION=${TALOSCTL_VERSION} \
    MISE_KUBECTL_VERSION=${KUBECTL_VERSION} \
    MISE_TALHELPER_VERSION=${TALHELPER_VERSION}
RUN <<'EOF'
set -eu
apt-get update && apt-get install -y --no-install-recommends ca-certificates curl && rm -rf /var/lib/apt/lists/*
mkdir -p /downloads /opt/tools
cd /downloads
arch="${TARGETARCH:-amd64}"
case "$arch" in amd64) mise_arch=x64 ;; arm64) mise_arch=arm64 ;; *) echo "unsupported arch $arch" >&2; exit 1 ;; esac

# verify <file> <pinned sha256 or empty> <checksum list url> [column of the SHA-256 in the list, default 1]
verify() {
  if [ -n "$2" ]; then
    echo "$2  $1" | sha256sum -c -
  else
    curl -fsSL "$3" -o checksums.txt
    awk -v f="$1" -v c="${4:-1}" '{ n = $NF; sub(/^\*/, "", n); sub(/^\.\//, "", n); if (c == 1 && n == f) print $1 "  " f; if (c > 1 && $1 == f) print $c "  " f }' checksums.txt > expected.txt
    test "$(wc -l < expected.txt)" -eq 1 || { echo "no single checksum for $1 in $3" >&2; exit 1; }
    sha256sum -c expected.txt
  fi
}
# tool <name> <version> <binary>: install into /usr/local/bin and register the version with mise.
tool() {
  mkdir -p "/opt/tools/$1/$2/bin"
  install -m 0755 "$3" "/opt/tools/$1/$2/bin/$1"
  ln -sf "/opt/tools/$1/$2/bin/$1" "/usr/local/bin/$1"
}

f="mise-${MISE_VERSION}-linux-${mise_arch}"
curl -fsSL "https://github.com/jdx/mise/releases/download/${MISE_VERSION}/${f}" -o "$f"
verify "$f" "${MISE_SHA256}" "https://github.com/jdx/mise/releases/download/${MISE_VERSION}/SHASUMS256.txt"
install -m 0755 "$f" /usr/local/bin/mise

f="talosctl-linux-${arch}"
curl -fsSL "https://github.com/siderolabs/talos/releases/download/v${TALOSCTL_VERSION}/${f}" -o "$f"
verify "$f" "${TALOSCTL_SHA256}" "https://github.com/siderolabs/talos/releases/download/v${TALOSCTL_VERSION}/sha256sum.txt"
tool talosctl "${TALOSCTL_VERSION}" "$f"

curl -fsSL "https://dl.k8s.io/release/v${KUBECTL_VERSION}/bin/linux/${arch}/kubectl" -o kubectl
echo "${KUBECTL_SHA256:-$(curl -fsSL "https://dl.k8s.io/release/v${KUBECTL_VERSION}/bin/linux/${arch}/kubectl.sha256")}  kubectl" | sha256sum -c -
tool kubectl "${KUBECTL_VERSION}" kubectl

f="flux_${FLUX2_VERSION}_linux_${arch}.tar.gz"
curl -fsSL "https://github.com/fluxcd/flux2/releases/download/v${FLUX2_VERSION}/${f}" -o "$f"
verify "$f" "${FLUX2_SHA256}" "https://github.com/fluxcd/flux2/releases/download/v${FLUX2_VERSION}/flux_${FLUX2_VERSION}_checksums.txt"
tar -xzf "$f" flux && tool flux "${FLUX2_VERSION}" flux

f="kustomize_v${KUSTOMIZE_VERSION}_linux_${arch}.tar.gz"
curl -fsSL "https://github.com/kubernetes-sigs/kustomize/releases/download/kustomize%2Fv${KUSTOMIZE_VERSION}/${f}" -o "$f"
verify "$f" "${KUSTOMIZE_SHA256}" "https://github.com/kubernetes-sigs/kustomize/releases/download/kustomize%2Fv${KUSTOMIZE_VERSION}/checksums.txt"
tar -xzf "$f" kustomize && tool kustomize "${KUSTOMIZE_VERSION}" kustomize

f="helm-v${HELM_VERSION}-linux-${arch}.tar.gz"
curl -fsSL "https://get.helm.sh/${f}" -o "$f"
verify "$f" "${HELM_SHA256}" "https://get.helm.sh/${f}.sha256sum"
tar -xzf "$f" "linux-${arch}/helm" && tool helm "${HELM_VERSION}" "linux-${arch}/helm"

f="cilium-linux-${arch}.tar.gz"
curl -fsSL "https://github.com/cilium/cilium-cli/releases/download/v${CILIUM_CLI_VERSION}/${f}" -o "$f"
verify "$f" "${CILIUM_CLI_SHA256}" "https://github.com/cilium/cilium-cli/releases/download/v${CILIUM_CLI_VERSION}/${f}.sha256sum"
tar -xzf "$f" cilium && tool cilium "${CILIUM_CLI_VERSION}" cilium

# yq's checksum list has one column per algorithm; checksums_hashes_order names them (SHA-256's line = its column - 1).
f="yq_linux_${arch}"
curl -fsSL "https://github.com/mikefarah/yq/releases/download/v${YQ_VERSION}/${f}" -o "$f"
column=$(( $(curl -fsSL "https://github.com/mikefarah/yq/releases/download/v${YQ_VERSION}/checksums_hashes_order" | grep -n '^SHA-256$' | cut -d: -f1) + 1 ))
verify "$f" "${YQ_SHA256}" "https://github.com/mikefarah/yq/releases/download/v${YQ_VERSION}/checksums" "$column"
tool yq "${YQ_VERSION}" "$f"

f="jq-linux-${arch}"
curl -fsSL "https://github.com/jqlang/jq/releases/download/jq-${JQ_VERSION}/${f}" -o "$f"
verify "$f" "${JQ_SHA256}" "https://github.com/jqlang/jq/releases/download/jq-${JQ_VERSION}/sha256sum.txt"
tool jq "${JQ_VERSION}" "$f"

f="task_linux_${arch}.tar.gz"
curl -fsSL "https://github.com/go-task/task/releases/download/v${TASK_VERSION}/${f}" -o "$f"
verify "$f" "${TASK_SHA256}" "https://github.com/go-task/task/releases/download/v${TASK_VERSION}/task_checksums.txt"
tar -xzf "$f" task && tool task "${TASK_VERSION}" task

f="talhelper_linux_${arch}.tar.gz"
curl -fsSL "https://github.com/budimanjojo/talhelper/releases/download/v${TALHELPER_VERSION}/${f}" -o "$f"
verify "$f" "${TALHELPER_SHA256}" "https://github.com/budimanjojo/talhelper/releases/download/v${TALHELPER_VERSION}/checksums.txt"
tar -xzf "$f" talhelper && tool talhelper "${TALHELPER_VERSION}" talhelper

# mise's names for them (.mise.toml's keys): the verified binaries are these installed versions, nothing is fetched later.
for pair in talosctl:talosctl kubectl:kubectl flux2:flux kustomize:kustomize helm:helm cilium-cli:cilium yq:yq jq:jq task:task talhelper:talhelper; do
  name="${pair%%:*}"; bin="${pair#*:}"
  version="$(ls /opt/tools/$bin)"
  mise link --force "${name}@${version}" "/opt/tools/${bin}/${version}"
done
chmod -R a+rX /opt/mise /opt/tools
rm -rf /downloads /tmp/mise-cache
mise --version
EOF
WORKDIR /app
COPY --from=build /app .
ENV ASPNETCORE_HTTP_PORTS=8080 \
    DOTNET_NOLOGO=1 \
    DOTNET_CLI_TELEMETRY_OPTOUT=1
EXPOSE 8080
USER 1654:1654
ENTRYPOINT ["dotnet", "HomeOps.Dashboard.dll"]

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
