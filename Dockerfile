# Direkt: SDK build stage → ASP.NET runtime image. Mirrors `dotnet publish`; libvips comes from NetVips.Native in the output.
FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
# Set by BuildKit from the target platform (amd64, arm64); the SDK maps it to linux-x64 / linux-arm64, so only that
# platform's libvips is published. Without BuildKit it is empty and amd64 is built, as before.
ARG TARGETARCH
WORKDIR /src
COPY . .
RUN dotnet publish src/Direkt/Direkt.csproj -c Release -a "${TARGETARCH:-amd64}" --self-contained false -o /out

FROM mcr.microsoft.com/dotnet/aspnet:10.0
WORKDIR /app
COPY --from=build /out/ ./
COPY config/direkt.conf /app/config/direkt.conf
# A fixed numeric id (10001), so that Kubernetes' runAsNonRoot can verify the user and volume ownership is predictable.
RUN groupadd --system --gid 10001 direkt \
    && useradd --system --uid 10001 --gid direkt --home-dir /app --shell /usr/sbin/nologin direkt \
    && mkdir -p /app/data && chown direkt:direkt /app/data
USER 10001:10001
# libvips allocates natively; fewer glibc arenas keep the resident set small under parallel image work.
ENV MALLOC_ARENA_MAX=2 \
    DOTNET_gcServer=0
VOLUME ["/app/data"]
EXPOSE 8080
HEALTHCHECK --interval=30s --timeout=5s --start-period=10s --retries=3 CMD ["dotnet", "/app/Direkt.dll", "health-check"]
ENTRYPOINT ["dotnet", "/app/Direkt.dll"]
