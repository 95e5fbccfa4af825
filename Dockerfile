# Direkt: SDK build stage → ASP.NET runtime image. Mirrors `dotnet publish`; libvips comes from NetVips.Native in the output.
FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
WORKDIR /src
COPY . .
RUN dotnet publish src/Direkt/Direkt.csproj -c Release -r linux-x64 --self-contained false -o /out

FROM mcr.microsoft.com/dotnet/aspnet:10.0
WORKDIR /app
COPY --from=build /out/ ./
COPY config/direkt.conf /app/config/direkt.conf
RUN groupadd --system direkt && useradd --system --gid direkt --home-dir /app --shell /usr/sbin/nologin direkt \
    && mkdir -p /app/data && chown direkt:direkt /app/data
USER direkt
# libvips allocates natively; fewer glibc arenas keep the resident set small under parallel image work.
ENV MALLOC_ARENA_MAX=2 \
    DOTNET_gcServer=0
VOLUME ["/app/data"]
EXPOSE 8080
HEALTHCHECK --interval=30s --timeout=5s --start-period=10s --retries=3 CMD ["dotnet", "/app/Direkt.dll", "health-check"]
ENTRYPOINT ["dotnet", "/app/Direkt.dll"]
