# syntax=docker/dockerfile:1
# Direkt: SDK build stage (on the build machine's platform) → ASP.NET runtime on Ubuntu 24.04 with Ubuntu's libvips.
# Lint: scripts/test runs dockerfile-utils (pinned in tools/lint) on this file.

# Only the project files, so that the restore layer below is reused until a project or package version changes.
FROM --platform=$BUILDPLATFORM mcr.microsoft.com/dotnet/sdk:10.0-noble AS projects
WORKDIR /src
COPY . .
RUN find . -type f ! -name '*.csproj' ! -name '*.props' ! -name '*.targets' ! -name 'global.json' -delete \
    && find . -type d -empty -delete

FROM --platform=$BUILDPLATFORM mcr.microsoft.com/dotnet/sdk:10.0-noble AS build
# Set by BuildKit from the target platform (amd64, arm64); the SDK maps it to linux-x64 / linux-arm64.
ARG TARGETARCH
# The commit shown by `version` and direkt_build_info: .git is not sent to the build (.dockerignore), so pass it:
# docker build --build-arg SOURCE_REVISION="$(git rev-parse HEAD)" .
ARG SOURCE_REVISION=""
WORKDIR /src
COPY --from=projects /src ./
RUN dotnet restore src/Direkt/Direkt.csproj -a "${TARGETARCH:-amd64}" -p:DirektLibvips=system
COPY . .
# DirektLibvips=system: no NetVips.Native in the output; NetVips loads the system libvips installed below.
RUN dotnet publish src/Direkt/Direkt.csproj -c Release -a "${TARGETARCH:-amd64}" --self-contained false --no-restore \
    -p:DirektLibvips=system -p:SourceRevisionId="${SOURCE_REVISION}" -o /out

# mcr.microsoft.com/dotnet/aspnet:10.0 is Ubuntu 24.04 (noble); the tag names it so a base change is a visible edit.
FROM mcr.microsoft.com/dotnet/aspnet:10.0-noble
# libvips42t64: Ubuntu's libvips (JPEG, PNG, WebP, GIF, TIFF, AVIF through libheif, JPEG XL through libjxl).
# libheif-plugin-aomenc / -dav1d: AVIF encoding and decoding; libheif-plugin-libde265: HEIC (HEVC) decoding, which has
# patent licensing implications (docs/deploy.md, "The image").
RUN apt-get update \
    && apt-get install -y --no-install-recommends libvips42t64 libheif-plugin-aomenc libheif-plugin-dav1d libheif-plugin-libde265 \
    && rm -rf /var/lib/apt/lists/*
# A fixed numeric id (10001), so that Kubernetes' runAsNonRoot can verify the user and volume ownership is predictable.
RUN groupadd --system --gid 10001 direkt \
    && useradd --system --uid 10001 --gid direkt --home-dir /app --shell /usr/sbin/nologin direkt \
    && mkdir -p /app/data /app/config \
    && chown direkt:direkt /app/data
WORKDIR /app
COPY --from=build /out/ ./
COPY config/direkt.conf /app/config/direkt.conf
USER 10001:10001
# libvips allocates natively; fewer glibc arenas keep the resident set small under parallel image work.
ENV MALLOC_ARENA_MAX=2 \
    DOTNET_gcServer=0
VOLUME ["/app/data"]
EXPOSE 8080
# health-check reads the same configuration as the server (http.port from the file or DIREKT_HTTP__PORT): no fixed port here.
HEALTHCHECK --interval=30s --timeout=5s --start-period=10s --retries=3 CMD ["dotnet", "/app/Direkt.dll", "health-check"]
ENTRYPOINT ["dotnet", "/app/Direkt.dll"]
