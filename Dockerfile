# Build: the host with every first-party plugin.
FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
WORKDIR /src
COPY . .
RUN dotnet publish host/Platform.Host/Platform.Host.csproj -c Release -o /app --no-self-contained

# Run: non-root, data on a volume, configuration through environment variables (Platform__…, ConnectionStrings__…).
FROM mcr.microsoft.com/dotnet/aspnet:10.0
RUN apt-get update && apt-get install -y --no-install-recommends curl && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY --from=build /app .
RUN mkdir -p /data && chown -R app:app /data
USER app
ENV ASPNETCORE_URLS=http://+:8080 \
    Platform__DataDirectory=/data \
    Platform__PluginsDirectory=/app/plugins \
    DOTNET_gcServer=0
VOLUME ["/data"]
# 8080: API and console. 11111/30000: Orleans silo and gateway, between the hosts of a cluster (Platform__Cluster__Provider=Redis).
EXPOSE 8080 11111 30000
HEALTHCHECK --interval=15s --timeout=5s --start-period=60s --retries=3 CMD curl -fsS http://localhost:8080/health/ready || exit 1
STOPSIGNAL SIGTERM
ENTRYPOINT ["dotnet", "Platform.Host.dll"]
