# Caddy in front of the gateway nodes of signaling.nomad.hcl. Upstreams come
# from Nomad service discovery (service "signaling-gateway"); when allocations
# come and go the template re-renders and Caddy reloads in place.
#
#   nomad job run infra/nomad/caddy.nomad.hcl
#
# Plain HTTP on :8080: terminate TLS (wss://) in the load balancer in front of
# these hosts, or give Caddy a site name, ports 80/443 and a host volume for
# /data to let it manage certificates itself.

variable "datacenters" {
  type    = list(string)
  default = ["dc1"]
}

variable "lb_count" {
  type    = number
  default = 2
}

job "signaling-lb" {
  datacenters = var.datacenters
  type        = "service"

  update {
    max_parallel     = 1
    min_healthy_time = "10s"
    auto_revert      = true
  }

  group "caddy" {
    count = var.lb_count

    # Static port: one Caddy per host.
    constraint {
      operator = "distinct_hosts"
      value    = "true"
    }

    network {
      port "http" {
        static = 8080
      }
    }

    service {
      name     = "signaling-lb"
      provider = "nomad"
      port     = "http"

      check {
        type     = "http"
        path     = "/healthz"
        interval = "10s"
        timeout  = "2s"
      }
    }

    task "caddy" {
      driver       = "docker"
      kill_timeout = "30s"

      config {
        image   = "caddy:2.10-alpine"
        command = "caddy"
        args    = ["run", "--config", "/local/Caddyfile", "--adapter", "caddyfile"]
        ports   = ["http"]
      }

      template {
        destination = "local/Caddyfile"
        # Caddy reloads through its admin API (localhost:2019 in the container);
        # signals do not reload it.
        change_mode = "script"
        change_script {
          command       = "/usr/bin/caddy"
          args          = ["reload", "--config", "/local/Caddyfile", "--adapter", "caddyfile"]
          timeout       = "15s"
          fail_on_error = false
        }
        # Coalesce bursts of registrations (a rolling update) into one reload.
        wait {
          min = "2s"
          max = "10s"
        }
        data = <<-EOT
          {
            auto_https off
          }

          :8080 {
            handle /healthz {
              respond "ok" 200
            }

            handle /ws {
              reverse_proxy {{ range nomadService "signaling-gateway" }}{{ .Address }}:{{ .Port }} {{ end }}{
                # Optional stickiness; any node reaches any peer through Redis.
                lb_policy cookie sg_gw
                lb_try_duration 5s
                lb_try_interval 250ms

                health_uri /readyz
                health_interval 5s
                health_timeout 2s
                health_passes 1
                health_fails 1
                fail_duration 10s

                # Reloads happen on every gateway deploy: keep established
                # WebSockets open; a draining gateway closes its own with 1001.
                stream_close_delay 10m

                transport http {
                  dial_timeout 2s
                }
              }
            }

            handle {
              respond "not found" 404
            }

            log {
              output stdout
              format json
            }
          }
        EOT
      }

      resources {
        cpu    = 300
        memory = 256
      }
    }
  }
}
