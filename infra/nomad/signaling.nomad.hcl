# Signaling gateway, diagnostics-indexer and admin-search on Nomad (1.5+, docker driver,
# Nomad service discovery). The load balancer is the separate job in
# caddy.nomad.hcl. Redis 7 is external: one primary endpoint, not Redis Cluster.
#
# Secrets live in Nomad Variables, one per task, readable only by that task:
#
#   nomad var put nomad/jobs/signaling/gateway/gateway \
#     REDIS_URL=redis://:PASSWORD@redis.internal:6379 TURN_SECRET=...
#   (add JWT_SECRET, and ENABLE_AUTH=true in env below, for token authentication)
#   nomad var put nomad/jobs/signaling/sessions/diagnostics-indexer \
#     REDIS_URL=redis://:PASSWORD@redis.internal:6379
#   nomad var put nomad/jobs/signaling/sessions/admin-search \
#     REDIS_URL=redis://:PASSWORD@redis.internal:6379 ADMIN_API_KEY=...
#
#   nomad job run -var image=registry.example.com/signaling-gateway:0.1.0 infra/nomad/signaling.nomad.hcl
#
# Every item of a task's variable becomes an environment variable of the task
# (single-line values).

variable "image" {
  type    = string
  default = "registry.example.com/signaling-gateway:0.1.0"
}

variable "datacenters" {
  type    = list(string)
  default = ["dc1"]
}

variable "gateway_count" {
  type    = number
  default = 2
}

variable "allowed_origins" {
  type    = string
  default = "https://app.example.com"
}

variable "trusted_proxies" {
  type        = string
  description = "Addresses whose X-Forwarded-For the gateway believes: the Caddy hosts."
  default     = "10.0.0.0/8"
}

job "signaling" {
  datacenters = var.datacenters
  type        = "service"

  # One allocation at a time: each replaced gateway drains, and its peers
  # resume on the others.
  update {
    max_parallel      = 1
    health_check      = "checks"
    min_healthy_time  = "10s"
    healthy_deadline  = "3m"
    progress_deadline = "10m"
    auto_revert       = true
  }

  group "gateway" {
    count = var.gateway_count

    spread {
      attribute = "${node.unique.id}"
    }

    network {
      port "http" {
        to = 8080
      }
    }

    # Caddy renders its upstreams from this service. The check hits /readyz, so
    # a node that lost Redis or is draining reports unhealthy.
    service {
      name     = "signaling-gateway"
      provider = "nomad"
      port     = "http"

      check {
        name     = "readyz"
        type     = "http"
        path     = "/readyz"
        interval = "5s"
        timeout  = "2s"
      }
    }

    task "gateway" {
      driver = "docker"

      # On stop: deregister the service (Caddy re-renders without this node),
      # wait shutdown_delay, then SIGTERM starts the drain. kill_timeout must
      # exceed DRAIN_TIMEOUT_MS; the client's max_kill_timeout (default 30s)
      # caps it.
      shutdown_delay = "5s"
      kill_signal    = "SIGTERM"
      kill_timeout   = "30s"

      config {
        image           = var.image
        command         = "node"
        args            = ["dist/apps/gateway/main.js"]
        ports           = ["http"]
        init            = true
        readonly_rootfs = true

        # Every WebSocket is an open file, and without this the container gets
        # whatever the Docker daemon's default is on that client. Node raises its
        # soft limit to the hard one; keep MAX_CONNECTIONS (default 10000) about
        # 1000 below it (docs/operations.md, "File descriptors and connection
        # limits").
        ulimit {
          nofile = "65536:65536"
        }

        mount {
          type   = "tmpfs"
          target = "/tmp"
          tmpfs_options {
            size = 67108864
          }
        }
      }

      env {
        PORT                  = "8080"
        NODE_ID               = "${NOMAD_ALLOC_ID}"
        LOG_LEVEL             = "info"
        ROOM_CAPACITY         = "10"
        MESSAGE_MAX_BYTES     = "65536"
        RESUME_WINDOW_MS      = "15000"
        HEARTBEAT_INTERVAL_MS = "30000"
        DRAIN_TIMEOUT_MS      = "20000"
        ALLOWED_ORIGINS       = var.allowed_origins
        TRUSTED_PROXIES       = var.trusted_proxies
        STUN_URLS             = "stun:stun.example.com:3478"
        TURN_URLS             = "turn:turn.example.com:3478?transport=udp,turns:turn.example.com:5349?transport=tcp"
        TURN_TTL_SECONDS      = "3600"
        # Tracing (docs/operations.md "Tracing"): off until an OTLP/HTTP endpoint is set
        # OTEL_EXPORTER_OTLP_ENDPOINT = "http://otel-collector.service.consul:4318"
        # OTEL_TRACES_SAMPLER         = "parentbased_traceidratio"
        # OTEL_TRACES_SAMPLER_ARG     = "0.1"
      }

      template {
        data        = <<-EOT
          {{- with nomadVar "nomad/jobs/signaling/gateway/gateway" -}}
          {{- range .Tuples }}
          {{ .K }}={{ .V }}
          {{- end }}
          {{- end }}
        EOT
        destination = "secrets/app.env"
        env         = true
        change_mode = "restart"
      }

      resources {
        cpu    = 500
        memory = 512
      }
    }
  }

  # The indexer and admin-search share the allocation directory, so the SQLite
  # store needs no network file system: the indexer writes it, admin-search
  # reads it. One allocation: one stream consumer and one SQLite writer. For
  # a store that survives the loss of a client node, or several admin-search
  # instances, use STORE=meilisearch (MEILI_URL, MEILI_MASTER_KEY).
  group "sessions" {
    count = 1

    ephemeral_disk {
      size    = 2048
      sticky  = true
      migrate = true
    }

    network {
      port "diagnostics-indexer" {
        to = 8081
      }
      port "admin" {
        to = 8082
      }
    }

    service {
      name     = "signaling-diagnostics-indexer"
      provider = "nomad"
      port     = "diagnostics-indexer"

      check {
        name     = "readyz"
        type     = "http"
        path     = "/readyz"
        interval = "10s"
        timeout  = "3s"
      }
    }

    service {
      name     = "signaling-admin-search"
      provider = "nomad"
      port     = "admin"

      check {
        name     = "readyz"
        type     = "http"
        path     = "/readyz"
        interval = "10s"
        timeout  = "3s"
      }
    }

    task "diagnostics-indexer" {
      driver       = "docker"
      kill_timeout = "20s"

      # Started before admin-search, so the store exists when it opens it.
      lifecycle {
        hook    = "prestart"
        sidecar = true
      }

      config {
        image           = var.image
        command         = "node"
        args            = ["dist/apps/diagnostics-indexer/main.js"]
        ports           = ["diagnostics-indexer"]
        init            = true
        readonly_rootfs = true

        mount {
          type   = "tmpfs"
          target = "/tmp"
          tmpfs_options {
            size = 67108864
          }
        }
      }

      env {
        PORT        = "8081"
        NODE_ID     = "diagnostics-indexer-${NOMAD_ALLOC_ID}"
        LOG_LEVEL   = "info"
        STORE       = "sqlite"
        SQLITE_PATH = "${NOMAD_ALLOC_DIR}/data/sessions.db"
        # the indexer continues the gateways' traces (docs/operations.md "Tracing")
        # OTEL_EXPORTER_OTLP_ENDPOINT = "http://otel-collector.service.consul:4318"
      }

      template {
        data        = <<-EOT
          {{- with nomadVar "nomad/jobs/signaling/sessions/diagnostics-indexer" -}}
          {{- range .Tuples }}
          {{ .K }}={{ .V }}
          {{- end }}
          {{- end }}
        EOT
        destination = "secrets/app.env"
        env         = true
        change_mode = "restart"
      }

      resources {
        cpu    = 300
        memory = 384
      }
    }

    task "admin-search" {
      driver       = "docker"
      kill_timeout = "20s"

      config {
        image           = var.image
        command         = "node"
        args            = ["dist/apps/admin-search/main.js"]
        ports           = ["admin"]
        init            = true
        readonly_rootfs = true

        mount {
          type   = "tmpfs"
          target = "/tmp"
          tmpfs_options {
            size = 67108864
          }
        }
      }

      env {
        PORT        = "8082"
        NODE_ID     = "admin-search-${NOMAD_ALLOC_ID}"
        LOG_LEVEL   = "info"
        STORE       = "sqlite"
        SQLITE_PATH = "${NOMAD_ALLOC_DIR}/data/sessions.db"
      }

      template {
        data        = <<-EOT
          {{- with nomadVar "nomad/jobs/signaling/sessions/admin-search" -}}
          {{- range .Tuples }}
          {{ .K }}={{ .V }}
          {{- end }}
          {{- end }}
        EOT
        destination = "secrets/app.env"
        env         = true
        change_mode = "restart"
      }

      resources {
        cpu    = 200
        memory = 384
      }
    }
  }
}
